// The scripted conversation: a generated 3 s track goes in through the fake Bot API, the style and format
// keyboards are pressed (with a bot restart in between), the task message is edited with progress, and
// the mastered document that comes back is measured with ffmpeg.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configureAudioTools, type PlatformPlayback } from "../../../src/audio";
import { t } from "../../../src/i18n";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { makeMusic, measure } from "../../fixtures/audio";
import { slowFfmpeg } from "../../fixtures/slow-ffmpeg";
import { type BotHarness, drain, startBot } from "./harness";

let h: BotHarness;
const user = FakeTelegram.user(5001, { username: "mixer", lang: "en" });
let track: string;

beforeAll(async () => {
  // ffmpeg reads in real time (-re), so every pass over the 3 s track takes at least 3 s: progress edits
  // (every 500 ms at most) are seen however fast the machine masters.
  h = await startBot({ MM_FFMPEG: slowFfmpeg() }, { progressEditMs: 500 });
  track = await makeMusic(h.dir, { durationS: 3, name: "My Song.wav" });
});
afterAll(async () => {
  await h.stop();
  // The tools are process-wide: later test files expect the real-speed ffmpeg.
  configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
});

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

  // How far apart the edits land is a wall-time figure (bench/bot-edits.ts); here: it was edited with progress.
  it("edited the task message in place with progress, ending on the done text", async () => {
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
    // The same platform numbers as the job's result (what GET /api/jobs/:id and the web report show): each
    // platform's line is the catalogue's sentence over the result's own plays-at, gain and peak after, and
    // the caption's brief gives each player's gain.
    const platforms = (h.jobs.get(taskId)?.analysis_after?.platforms ?? []) as PlatformPlayback[];
    expect(platforms.length).toBeGreaterThanOrEqual(9);
    for (const p of platforms) {
      expect(report).toContain(t("en", p.message.key, p.message.params));
      expect(p.message.params.lufs).toBe(p.plays_at_lufs);
      expect(p.message.params.tp).toBe(p.true_peak_after_dbtp);
      expect(p.message.params.db).toBe(Math.abs(p.gain_db));
      if (p.kind === "broadcast") continue;
      const gain = p.gain_db === 0 ? "0" : `${p.gain_db > 0 ? "+" : "−"}${Math.abs(p.gain_db).toFixed(1)}`;
      expect(doc?.caption).toContain(`${p.name} ${gain}`);
    }
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
    const styles = () => h.fake.textsTo(user.id).filter((t) => t.includes("Styles:")).length;
    const before = styles();
    h.fake.userSendsText(user, "/presets");
    expect(h.fake.pendingUpdates).toBeGreaterThan(0);
    const restartAt = h.fake.calls.length;
    await h.bot.start();
    await h.fake.waitFor(() => styles() > before, 30_000, "reply after restart");
    // Answered once, and by the restarted bot: the reply follows the new bot's first poll.
    const calls = h.fake.calls.map((c, i) => ({ ...c, i }));
    const poll = calls.find((c) => c.i >= restartAt && c.method === "getUpdates");
    const reply = calls.find(
      (c) =>
        c.method === "sendMessage" &&
        Number(c.params.chat_id) === user.id &&
        String(c.params.text).includes("Styles:") &&
        c.i >= restartAt,
    );
    expect(poll && reply && reply.i > poll.i).toBe(true);
    await drain(h, user);
    expect(styles()).toBe(before + 1);
  }, 100_000);
});
