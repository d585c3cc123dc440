// The scripted conversation: a generated 2 s track goes in through the fake Bot API, the style and format
// keyboards are pressed (with a bot restart in between), the task message is edited with progress, and
// the mastered document that comes back is measured with ffmpeg.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { makeMusic, measure } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

let h: BotHarness;
const user = FakeTelegram.user(5001, { username: "mixer", lang: "en" });
let track: string;

beforeAll(async () => {
  // A short edit interval and a 12 s track so progress edits are seen even when mastering is fast.
  h = await startBot({}, { progressEditMs: 500 });
  track = await makeMusic(h.dir, { durationS: 12, name: "My Song.wav" });
});
afterAll(() => h.stop());

describe("bot mastering conversation", () => {
  let taskId = "";

  it("answers /start with the welcome text and the menu keyboard", async () => {
    h.fake.userSendsText(user, "/start");
    const m = await h.fake.waitFor(
      () => h.fake.messagesTo(user.id).find((x) => x.text?.includes("Magic Master")),
      5000,
      "welcome",
    );
    expect(JSON.stringify(m.reply_markup)).toContain("keyboard");
  }, 100_000);

  it("offers styles for a sent file, keeps the choice across a restart, and queues a task in the same message", async () => {
    h.fake.userSendsAudio(user, track, { fileName: "My Song.wav", mime: "audio/wav" });
    const styleMsg = await h.fake.waitFor(
      () =>
        h.fake.messagesTo(user.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
      5000,
      "style keyboard",
    );
    h.fake.userPressesButton(user, styleMsg.message_id, "st:standard");
    await h.fake.waitFor(
      () => buttonsOf(styleMsg).some((b) => b.callback_data === "fm:mp3"),
      5000,
      "format keyboard",
    );

    await h.restartBot();

    h.fake.userPressesButton(user, styleMsg.message_id, "fm:mp3");
    await h.fake.waitFor(
      () => /Task #([A-Z0-9]{6})/.exec(styleMsg.text ?? ""),
      10_000,
      "task id in the keyboard message",
    );
    taskId = /Task #([A-Z0-9]{6})/.exec(styleMsg.text ?? "")?.[1] ?? "";
    expect(taskId).toMatch(/^[A-Z0-9]{6}$/);
    const history = [...styleMsg.history, styleMsg.text ?? ""].join("\n");
    expect(history).toContain(`Task #${taskId} queued, position`);
  }, 100_000);

  it("delivers <original>_master.mp3 with before → after figures, and the loudness is on target", async () => {
    const doc = await h.fake.waitFor(() => h.fake.documentsTo(user.id).at(-1), 90_000, "result document");
    expect(doc.document?.file_name).toBe("My Song_master.mp3");
    expect(doc.caption).toContain(`#${taskId}`);
    expect(doc.caption).toMatch(/LUFS: -?\d+\.\d → -?\d+\.\d/);
    expect(doc.caption).toContain("True peak");
    expect(doc.caption).toContain("LRA");
    const labels = buttonsOf(doc).map((b) => b.callback_data);
    expect(labels).toEqual([`rs:${taskId}`, `rf:${taskId}`, `ra:${taskId}`]);
    const out = join(h.dir, "received.mp3");
    writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
    const m = await measure(out);
    console.log(
      `[bot] received ${doc.document?.bytes.length} bytes, ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`,
    );
    expect(Math.abs(m.lufs - -14)).toBeLessThan(1);
    expect(m.tp).toBeLessThanOrEqual(-0.5);
  }, 100_000);

  it("edited the task message with progress, never faster than the edit interval", async () => {
    const msg = await h.fake.waitFor(
      () => h.fake.messagesTo(user.id).find((m) => (m.text ?? "").includes(`Task #${taskId} done`)),
      10_000,
      "final edit",
    );
    const texts = [...msg.history, msg.text ?? ""];
    expect(texts.some((x) => x.includes(`Task #${taskId}:`) && x.includes("%"))).toBe(true);
    const edits = h.fake
      .callsOf("editMessageText")
      .filter((c) => c.params.message_id === msg.message_id && String(c.params.text).includes(taskId))
      .map((c) => c.at);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < edits.length; i++)
      expect((edits[i] ?? 0) - (edits[i - 1] ?? 0)).toBeGreaterThanOrEqual(450); // 10 % for delivery jitter: gaps are seen where the fake receives them
  }, 100_000);

  it("logs feedback '<id> <text>' as one event=feedback JSON line and forwards it to the admin chat", async () => {
    h.fake.userSendsText(user, `${taskId} great bass, thanks`);
    await h.fake.waitFor(
      () => h.fake.textsTo(user.id).find((t) => t.includes(`Feedback on task #${taskId}`)),
      5000,
      "thanks",
    );
    const line = h.logs.find((l) => l.event === "feedback");
    expect(line).toMatchObject({ event: "feedback", task_id: taskId, message: "great bass, thanks" });
    expect(typeof line?.user_id).toBe("number");
    await h.fake.waitFor(
      () => h.fake.textsTo(-100500).find((t) => t.includes(taskId)),
      5000,
      "forward to admin chat",
    );
  }, 100_000);

  it("/status <id> shows the state and sends the result again; analyse-result shows the report", async () => {
    const before = h.fake.documentsTo(user.id).length;
    h.fake.userSendsText(user, `/status ${taskId.toLowerCase()}`);
    await h.fake.waitFor(() => h.fake.documentsTo(user.id).length > before, 10_000, "second copy");
    const doc = h.fake.documentsTo(user.id).at(-1);
    h.fake.userPressesButton(user, doc?.message_id ?? 0, `ra:${taskId}`);
    const report = await h.fake.waitFor(
      () => h.fake.textsTo(user.id).find((t) => t.includes(`Result analysis, task #${taskId}`)),
      5000,
      "analysis report",
    );
    expect(report).toContain("LUFS");
    expect(report).toContain("Spotify");
  }, 100_000);

  it("/history lists the task with a button, and someone else's id is 'not found'", async () => {
    h.fake.userSendsText(user, "/history");
    await h.fake.waitFor(
      () => h.fake.textsTo(user.id).find((t) => t.includes(`#${taskId} · My Song.wav`)),
      5000,
      "history",
    );
    const other = FakeTelegram.user(5002, { lang: "en" });
    h.fake.userSendsText(other, `/status ${taskId}`);
    const reply = await h.fake.waitFor(() => h.fake.textsTo(other.id).at(-1), 5000, "other user reply");
    expect(reply).toContain("not found");
  }, 100_000);
  it("/analyze measures a voice message and replies with the report naming the task", async () => {
    h.fake.userSendsText(user, "/analyze");
    await h.fake.waitFor(() => h.fake.textsTo(user.id).at(-1)?.includes("analyse"), 5000, "analyze prompt");
    h.fake.userSendsAudio(user, track, { as: "voice", mime: "audio/wav" });
    const report = await h.fake.waitFor(
      () => h.fake.textsTo(user.id).find((t) => /Analysis, task #[A-Z0-9]{6}/.test(t)),
      60_000,
      "analysis report",
    );
    expect(report).toMatch(/Loudness: -\d+\.\d LUFS/);
    expect(report).toContain("Sample rate: 44100 Hz, channels: 2");
  }, 100_000);

  it("handles messages sent while the bot was down (pending updates are not dropped)", async () => {
    await h.bot.stop();
    h.fake.userSendsText(user, "/presets");
    await Bun.sleep(200);
    expect(h.fake.textsTo(user.id).at(-1)).not.toContain("Styles:");
    await h.bot.start();
    await h.fake.waitFor(
      () => h.fake.textsTo(user.id).at(-1)?.includes("Styles:"),
      5000,
      "reply after restart",
    );
  }, 100_000);
});
