// The platform-preset step end to end: style → "📡 Platform" → Apple Music → (bot restart) → WAV 24. The
// preset reaches the job's settings, the caption names its target, and the document that comes back is
// measured at the preset's loudness (±0.3 LU) under its true-peak ceiling. The default path stays two taps.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PRESETS } from "../../../src/audio";
import { buttonsOf, type FakeMessage, FakeTelegram } from "../../fakes/telegram";
import { makeMusic, measure } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

let h: BotHarness;
let track: string;
const T = 100_000;
const apple = PRESETS.find((p) => p.id === "apple");

beforeAll(async () => {
  h = await startBot({}, { progressEditMs: 500 });
  track = await makeMusic(h.dir, { durationS: 6, name: "Preset Song.wav" });
});
afterAll(() => h.stop());

const hasButton = (m: FakeMessage, data: string) => buttonsOf(m).some((b) => b.callback_data === data);

async function sendAndPickStyle(user: ReturnType<typeof FakeTelegram.user>): Promise<FakeMessage> {
  h.fake.userSendsAudio(user, track, { fileName: "Preset Song.wav", mime: "audio/wav" });
  const msg = await h.fake.waitFor(
    () => h.fake.messagesTo(user.id).find((m) => hasButton(m, "st:standard")),
    5000,
    "style keyboard",
  );
  h.fake.userPressesButton(user, msg.message_id, "st:standard");
  await h.fake.waitFor(() => hasButton(msg, "fm:wav24"), 5000, "format keyboard");
  return msg;
}

describe("bot platform presets", () => {
  it(
    "offers the platform button on the format step; by default the target is the style's",
    async () => {
      const u = FakeTelegram.user(7101, { lang: "en" });
      const msg = await sendAndPickStyle(u);
      expect(hasButton(msg, "pk")).toBe(true);
      expect(msg.text).toContain("Target: by style “Stream” — -14 LUFS, peak ≤ -1 dBTP");
      expect(buttonsOf(msg).find((b) => b.callback_data === "pk")?.text).toContain("by style");
      h.fake.userPressesButton(u, msg.message_id, "pk");
      await h.fake.waitFor(() => hasButton(msg, "ps:spotify"), 5000, "preset keyboard");
      const ids = buttonsOf(msg)
        .map((b) => b.callback_data ?? "")
        .filter((d) => d.startsWith("ps:"));
      expect(ids).toEqual(["ps:style", ...PRESETS.map((p) => `ps:${p.id}`)]);
      expect(buttonsOf(msg).find((b) => b.callback_data === "ps:style")?.text).toStartWith("✓");
      h.fake.userPressesButton(u, msg.message_id, "pb");
      await h.fake.waitFor(() => hasButton(msg, "fm:mp3"), 5000, "back to formats");
      expect(msg.text).toContain("by style");
    },
    T,
  );

  it(
    "masters to the chosen preset across a restart: settings carry it, the caption names it, loudness is on target",
    async () => {
      if (!apple) throw new Error("no apple preset");
      const u = FakeTelegram.user(7102, { lang: "en" });
      const msg = await sendAndPickStyle(u);
      h.fake.userPressesButton(u, msg.message_id, "pk");
      await h.fake.waitFor(() => hasButton(msg, "ps:apple"), 5000, "preset keyboard");
      h.fake.userPressesButton(u, msg.message_id, "ps:apple");
      await h.fake.waitFor(() => hasButton(msg, "fm:wav24"), 5000, "formats after preset");
      expect(msg.text).toContain("Target: Apple Music — -16 LUFS, peak ≤ -1 dBTP");
      expect(buttonsOf(msg).find((b) => b.callback_data === "pk")?.text).toContain("Apple Music");

      await h.restartBot();

      h.fake.userPressesButton(u, msg.message_id, "fm:wav24");
      const id = await h.fake.waitFor(
        () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? "")?.[1],
        10_000,
        "task id in the keyboard message",
      );
      expect(h.jobs.get(id)?.settings).toMatchObject({ style: "standard", preset: "apple", format: "wav24" });

      const doc = await h.fake.waitFor(() => h.fake.documentsTo(u.id).at(-1), 90_000, "result document");
      expect(doc.document?.file_name).toBe("Preset Song_master.wav");
      expect(doc.caption).toContain(`#${id}`);
      expect(doc.caption).toContain("Target: Apple Music — -16 LUFS, peak ≤ -1 dBTP");
      const out = join(h.dir, "preset-received.wav");
      writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
      const m = await measure(out);
      console.log(`[bot preset] apple: ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`);
      expect(Math.abs(m.lufs - apple.target_lufs)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(apple.ceiling_dbtp);

      // "Other format" keeps the preset: the new format step names it again.
      h.fake.userPressesButton(u, doc.message_id, `rf:${id}`);
      const again = await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((x) => x.message_id > doc.message_id && hasButton(x, "fm:mp3")),
        5000,
        "other-format keyboard",
      );
      expect(again.text).toContain("Apple Music");
    },
    T,
  );

  it(
    "reaches the loud club preset too (-9 LUFS under -0.3 dBTP), chosen without a restart",
    async () => {
      const club = PRESETS.find((p) => p.id === "club");
      if (!club) throw new Error("no club preset");
      const u = FakeTelegram.user(7103, { lang: "ru" });
      const msg = await sendAndPickStyle(u);
      h.fake.userPressesButton(u, msg.message_id, "pk");
      await h.fake.waitFor(() => hasButton(msg, "ps:club"), 5000, "preset keyboard");
      h.fake.userPressesButton(u, msg.message_id, "ps:club");
      await h.fake.waitFor(() => hasButton(msg, "fm:wav24") && msg.text?.includes("Клуб"), 5000, "formats");
      h.fake.userPressesButton(u, msg.message_id, "fm:wav24");
      const doc = await h.fake.waitFor(() => h.fake.documentsTo(u.id).at(-1), 90_000, "result document");
      expect(doc.caption).toContain("Цель: Клуб — -9 LUFS, пик ≤ -0.3 dBTP");
      const out = join(h.dir, "club-received.wav");
      writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
      const m = await measure(out);
      console.log(`[bot preset] club: ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`);
      expect(Math.abs(m.lufs - club.target_lufs)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(club.ceiling_dbtp);
    },
    T,
  );
});
