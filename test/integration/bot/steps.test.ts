// The format step's option steps, driven through the fake Bot API with real ffmpeg and SQLite: the
// intensity step (low / medium / high) and the reference step (a second file sent while it is open is a
// reference, not a new track; the aspects to match are toggled). The received documents are measured.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buttonsOf, type FakeMessage, FakeTelegram } from "../../fakes/telegram";
import { makeMusic, measure } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

const FFMPEG = process.env.MM_FFMPEG ?? "ffmpeg";
const T = 180_000;
let h: BotHarness;
let track: string;
let ref: string;

beforeAll(async () => {
  h = await startBot({}, { progressEditMs: 500 });
  track = await makeMusic(h.dir, { durationS: 8, name: "Song.wav" });
  // The reference: the same music with a known tone and loudness change (+6 dB lows, −6 dB highs, −3 dB: ≈ −19
  // LUFS, far from the style's −14, so following it is visible).
  ref = join(h.dir, "Reference.wav");
  const p = Bun.spawn(
    [
      FFMPEG,
      "-hide_banner",
      "-nostdin",
      "-y",
      "-i",
      track,
      "-af",
      "lowshelf=f=150:g=6,highshelf=f=6000:g=-6,volume=-3dB",
      "-c:a",
      "pcm_f32le",
      ref,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  expect(await p.exited).toBe(0);
}, T);
afterAll(() => h.stop());

const has = (m: FakeMessage, data: string) => buttonsOf(m).some((b) => b.callback_data === data);
const label = (m: FakeMessage, data: string) =>
  buttonsOf(m).find((b) => b.callback_data === data)?.text ?? "";

async function styleThenFormatStep(u: ReturnType<typeof FakeTelegram.user>, file: string, name: string) {
  h.fake.userSendsAudio(u, file, { fileName: name });
  const msg = await h.fake.waitFor(
    () => h.fake.messagesTo(u.id).find((m) => has(m, "st:standard")),
    10_000,
    "style step",
  );
  h.fake.userPressesButton(u, msg.message_id, "st:standard");
  await h.fake.waitFor(() => has(msg, "fm:wav24"), 10_000, "format step");
  return msg;
}

describe("bot intensity step", () => {
  it(
    "opens from the format step, ticks the choice, and masters at that intensity on target",
    async () => {
      const u = FakeTelegram.user(8301, { lang: "en" });
      const msg = await styleThenFormatStep(u, track, "Song.wav");
      expect(label(msg, "ik")).toBe("🎚 Intensity: medium ▸");
      h.fake.userPressesButton(u, msg.message_id, "ik");
      await h.fake.waitFor(() => has(msg, "in:high"), 10_000, "intensity step");
      expect(msg.text).toContain("how hard should it push");
      expect(buttonsOf(msg).map((b) => b.callback_data)).toEqual(["in:low", "in:medium", "in:high"]);
      expect(label(msg, "in:medium")).toStartWith("✓");
      h.fake.userPressesButton(u, msg.message_id, "in:high");
      await h.fake.waitFor(() => label(msg, "ik") === "🎚 Intensity: high ▸", 10_000, "format step, high");
      h.fake.userPressesButton(u, msg.message_id, "fm:wav24");
      const id = await h.fake.waitFor(
        () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? "")?.[1],
        180_000,
        "task id",
      );
      expect(h.jobs.get(id)?.settings).toMatchObject({
        style: "standard",
        format: "wav24",
        intensity: "high",
      });
      const doc = await h.fake.waitFor(() => h.fake.documentsTo(u.id).at(-1), T, "result");
      expect(doc.caption).toContain(`#${id}`);
      expect(doc.caption).toContain("Intensity: high");
      const out = join(h.dir, "high.wav");
      writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
      const m = await measure(out);
      console.log(`[bot intensity] high: ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`);
      expect(Math.abs(m.lufs + 14)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(-1);
    },
    T,
  );
});

describe("bot reference step", () => {
  it(
    "takes the next file as a reference, matches the chosen aspects and follows the reference's loudness",
    async () => {
      const u = FakeTelegram.user(8302, { lang: "en" });
      const msg = await styleThenFormatStep(u, track, "Song.wav");
      expect(label(msg, "rk")).toBe("🎯 Reference: none ▸");
      h.fake.userPressesButton(u, msg.message_id, "rk");
      await h.fake.waitFor(() => has(msg, "rd"), 10_000, "reference step");
      expect(msg.text).toContain("send a reference track");
      expect(msg.text).toContain("none yet");
      // Dynamics off: tone, loudness and width stay matched.
      h.fake.userPressesButton(u, msg.message_id, "rm:dynamics");
      await h.fake.waitFor(() => label(msg, "rm:dynamics").startsWith("✗"), 10_000, "dynamics off");
      const before = h.fake.messagesTo(u.id).length;
      h.fake.userSendsAudio(u, ref, { fileName: "Reference.wav" });
      // The step moves under the reference (a new message); the old one loses its keyboard.
      const step = await h.fake.waitFor(
        () =>
          h.fake
            .messagesTo(u.id)
            .slice(before)
            .find((m) => has(m, "rd") && m.text?.includes("1. Reference.wav")),
        10_000,
        "reference listed",
      );
      expect(buttonsOf(msg)).toHaveLength(0);
      expect(
        h.fake.messagesTo(u.id).some((m) => has(m, "st:auto") && m.text?.includes("Reference.wav")),
      ).toBe(false);
      expect(label(step, "rm:dynamics")).toStartWith("✗");
      expect(label(step, "rm:tone")).toStartWith("✓");
      h.fake.userPressesButton(u, step.message_id, "rd");
      await h.fake.waitFor(
        () => label(step, "rk") === "🎯 Reference: 1 ▸",
        10_000,
        "format step with 1 reference",
      );
      h.fake.userPressesButton(u, step.message_id, "fm:wav24");
      const id = await h.fake.waitFor(
        () => /Task #([A-Z0-9]{6})/.exec(step.text ?? "")?.[1],
        180_000,
        "task id",
      );
      expect(h.jobs.get(id)?.settings).toMatchObject({ reference: { match: ["tone", "loudness", "width"] } });
      const doc = await h.fake.waitFor(() => h.fake.documentsTo(u.id).at(-1), T, "result");
      expect(doc.caption).toContain("matched to reference (tone, loudness, width)");
      const out = join(h.dir, "matched.wav");
      writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
      const [m, r] = [await measure(out), await measure(ref)];
      console.log(
        `[bot reference] out ${m.lufs.toFixed(2)} LUFS vs reference ${r.lufs.toFixed(2)}, TP ${m.tp.toFixed(2)}`,
      );
      expect(Math.abs(r.lufs + 14)).toBeGreaterThan(2);
      expect(Math.abs(m.lufs - r.lufs)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(-1);
      // The reference's upload went with the job's input: nothing is left in uploads/.
      await h.fake.waitFor(() => readdirSync(h.layout.uploads).length === 0, 30_000, "uploads emptied");
    },
    T,
  );

  it("refuses a fourth reference and clears the list on request", async () => {
    const u = FakeTelegram.user(8303, { lang: "en" });
    const downloads = h.fake.callsOf("getFile").length;
    const msg = await styleThenFormatStep(u, track, "Song.wav");
    h.fake.userPressesButton(u, msg.message_id, "rk");
    await h.fake.waitFor(() => has(msg, "rd"), 10_000, "reference step");
    for (let i = 1; i <= 3; i++) {
      h.fake.userSendsAudio(u, ref, { fileName: `Ref${i}.wav` });
      await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((m) => has(m, "rd") && m.text?.includes(`${i}. Ref${i}.wav`)),
        10_000,
        `reference ${i}`,
      );
    }
    h.fake.userSendsAudio(u, ref, { fileName: "Ref4.wav" });
    const full = await h.fake.waitFor(
      () => h.fake.textsTo(u.id).find((x) => x.includes("3 references already")),
      10_000,
      "full",
    );
    expect(full).toContain("Done");
    const step = h.fake
      .messagesTo(u.id)
      .filter((m) => has(m, "rc"))
      .at(-1) as FakeMessage;
    h.fake.userPressesButton(u, step.message_id, "rc");
    await h.fake.waitFor(() => step.text?.includes("none yet"), 10_000, "cleared");
    expect(has(step, "rc")).toBe(false);
    // References are downloaded only when the task is submitted: nothing was fetched here.
    expect(h.fake.callsOf("getFile")).toHaveLength(downloads);
  });
});
