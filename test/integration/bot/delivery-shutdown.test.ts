// A stopping service waits for a result still going out to Telegram before it closes the database: the
// fake holds the sendDocument, the service is told to stop, and only once its stop reached the
// bot_deliveries step (its log) is the send answered. The row then settles as sent, the stop completes,
// and nothing is logged as bot_delivery_settle_failed (before: the database closed under the send).

import { afterAll, describe, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { closeDb, openDb } from "../../../src/db";
import { createLogger } from "../../../src/log";
import { startService } from "../../../src/service";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";

let fake: FakeTelegram | undefined;
let dir = "";
afterAll(async () => {
  await fake?.stop();
  if (dir) await cleanup(dir);
});

describe("service stop with a bot delivery in flight", () => {
  it("waits for the send, settles the row as sent, logs no settle failure", async () => {
    fake = await FakeTelegram.start();
    const tg = fake;
    dir = await tempDir("mm-deliv-stop-");
    const logs: Record<string, unknown>[] = [];
    const config = loadConfig({
      PORT: "0",
      MM_DATA_DIR: dir,
      MM_WORKERS: "1",
      MM_BOT_TOKEN: tg.token,
      MM_TELEGRAM_API_ROOT: tg.apiRoot,
      MM_PUBLIC_URL: "https://mm.example.test",
    });
    const s = await startService(
      config,
      createLogger("debug", (line) => logs.push(JSON.parse(line))),
    );
    const song = await makeMusic(dir, { durationS: 2, name: "song.wav" });
    const u = FakeTelegram.user(8701, { lang: "en" });
    const held = tg.hold("sendDocument");
    tg.userSendsAudio(u, song, { fileName: "song.wav" });
    const msg = await tg.waitFor(
      () => tg.messagesTo(u.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
      20_000,
      "style keyboard",
    );
    tg.userPressesButton(u, msg.message_id, "st:standard");
    await tg.waitFor(() => buttonsOf(msg).some((b) => b.callback_data === "fm:mp3"), 20_000, "formats");
    tg.userPressesButton(u, msg.message_id, "fm:mp3");
    await held.arrived;
    const row = () =>
      s.dbh.sqlite
        .query<{ bot_delivery: string | null }, []>("SELECT bot_delivery FROM jobs")
        .all()
        .map((r) => r.bot_delivery);
    // Claimed by this node while the document is held, not yet sent.
    expect(row()).toHaveLength(1);
    expect(row()).not.toEqual(["sent"]);

    let stopped = false;
    const stopping = s.stop().then(() => {
      stopped = true;
    });
    await waitFor(() => logs.some((l) => l.event === "shutdown_step" && l.step === "bot_deliveries"), {
      what: "the stop to reach the bot deliveries",
    });
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect(await held.settled).toBe("released");
    const events = logs.map((l) => l.event);
    expect(events).toContain("bot_task_delivered");
    expect(events).not.toContain("bot_delivery_settle_failed");
    expect(events).not.toContain("unhandled_error");
    expect(events.at(-1)).toBe("shutdown_done");
    // Reopened after the stop: the row says sent.
    const h = openDb(s.layout.db);
    const after = h.sqlite.query<{ bot_delivery: string | null }, []>("SELECT bot_delivery FROM jobs").all();
    closeDb(h);
    expect(after.map((r) => r.bot_delivery)).toEqual(["sent"]);
  }, 120_000);
});
