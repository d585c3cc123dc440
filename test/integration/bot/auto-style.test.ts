// The bot's suggested default is style=auto: the style step's first button, and what the format step
// falls back to. A speech-like upload taken down that path comes back mastered as a podcast (its target,
// measured on the received document), with the caption saying the style was chosen automatically.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buttonsOf, type FakeMessage, FakeTelegram } from "../../fakes/telegram";
import { makeSpeechLike, measure } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

let h: BotHarness;
let track: string;

beforeAll(async () => {
  h = await startBot({}, { progressEditMs: 500 });
  track = await makeSpeechLike(h.dir, { durationS: 8, name: "Talk.wav" });
});
afterAll(() => h.stop());

const hasButton = (m: FakeMessage, data: string) => buttonsOf(m).some((b) => b.callback_data === data);

describe("bot auto style", () => {
  it("offers auto first, masters a speech-like file as a podcast and says the style was chosen automatically", async () => {
    const u = FakeTelegram.user(7201, { lang: "en" });
    h.fake.userSendsAudio(u, track, { fileName: "Talk.wav", mime: "audio/wav" });
    const msg = await h.fake.waitFor(
      () => h.fake.messagesTo(u.id).find((m) => hasButton(m, "st:auto")),
      5000,
      "style keyboard",
    );
    expect(buttonsOf(msg)[0]?.callback_data).toBe("st:auto");
    h.fake.userPressesButton(u, msg.message_id, "st:auto");
    await h.fake.waitFor(() => hasButton(msg, "fm:wav24"), 5000, "format keyboard");
    expect(msg.text).toContain("Target: by auto style");
    h.fake.userPressesButton(u, msg.message_id, "fm:wav24");
    const id = await h.fake.waitFor(
      () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? "")?.[1],
      10_000,
      "task id in the keyboard message",
    );
    expect(h.jobs.get(id)?.settings).toMatchObject({ style: "auto", format: "wav24" });
    const doc = await h.fake.waitFor(() => h.fake.documentsTo(u.id).at(-1), 90_000, "result document");
    expect(doc.caption).toContain("auto: Podcast");
    const out = join(h.dir, "auto-received.wav");
    writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
    const m = await measure(out);
    console.log(`[bot auto] speech-like: ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`);
    expect(Math.abs(m.lufs + 16)).toBeLessThanOrEqual(0.3);
    expect(m.tp).toBeLessThanOrEqual(-1);
  }, 120_000);
});
