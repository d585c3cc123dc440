// An album's report the bot could not send (the real bot against the fake Bot API, real job service,
// ffmpeg and SQLite): the report is a row of its own (bot_album_reports), so a transient failure (a rate
// limit past the in-call retries) leaves it pending with its error and the leader's next catch-up pass
// (every MM_NODE_DEAD_S) sends it, once; a 4xx gives it up at once without a loop. Neither sends a track
// again. The report waits for the last track's own result: it never comes before a document.
import { afterEach, describe, expect, it } from "bun:test";
import { submitAlbumThroughBot } from "../../e2e/cluster-bot";
import { type FakeCall, FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

let h: BotHarness | undefined;
let fx: string | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  if (fx) await cleanup(fx);
  fx = undefined;
});

type Row = { state: string; attempts: number; error: string | null };
const rowOf = (b: BotHarness, taskId: string) =>
  b.dbh.sqlite
    .query<Row, [string]>(
      `SELECT r.state, r.attempts, r.error FROM bot_album_reports r
        JOIN jobs j ON j.batch_id = r.batch_id WHERE j.public_id = ?1`,
    )
    .get(taskId);
const isReport = (c: FakeCall) => String(c.params.text ?? "").includes("Album done");

async function albumOfTwo(b: BotHarness, user: ReturnType<typeof FakeTelegram.user>): Promise<string[]> {
  fx = await tempDir("mm-bot-album-report-fx-");
  const tracks = [
    await makeMusic(fx, { durationS: 1, name: "a.wav" }),
    await makeMusic(fx, { durationS: 1, name: "b.wav" }),
  ];
  return submitAlbumThroughBot(b.fake, user, tracks);
}

describe("bot album report delivery", () => {
  it("a transient failure leaves the report pending and the next catch-up pass sends it once, no track again", async () => {
    h = await startBot({ MM_NODE_DEAD_S: "3" });
    const b = h;
    const user = FakeTelegram.user(7201, { lang: "en" });
    // The report's first send is held; on arrival the fake is told to answer it (and the policy's three
    // in-call retries) with 429, so this attempt fails whole.
    const held = b.fake.hold("sendMessage", isReport);
    const ids = await albumOfTwo(b, user);
    await held.arrived;
    expect(b.fake.documentsTo(user.id)).toHaveLength(2);
    b.fake.failNextWith429("sendMessage", 4, 0);
    held.release();
    const retry = await b.fake.waitFor(
      () => b.logs.find((l) => l.event === "bot_album_report_retry"),
      60_000,
      "bot_album_report_retry",
    );
    expect(retry).toMatchObject({ level: "warn", error_code: 429, attempts: 1, task_id: ids[0] });
    const report = await b.fake.waitFor(
      () => b.fake.textsTo(user.id).find((t) => t.includes("Album done")),
      60_000,
      "the report on the retry",
    );
    expect(report).toContain("Album done: 2 of 2 tracks");
    await b.fake.waitFor(() => b.logs.find((l) => l.event === "bot_album_reported"), 30_000, "reported");
    expect(rowOf(b, ids[0] ?? "")).toEqual({ state: "sent", attempts: 2, error: null });
    expect(
      b.fake
        .callsOf("sendMessage")
        .filter(isReport)
        .map((c) => c.ok),
    ).toEqual([false, false, false, false, true]);
    expect(b.fake.textsTo(user.id).filter((t) => t.includes("Album done"))).toHaveLength(1);
    expect(b.fake.documentsTo(user.id)).toHaveLength(2);
    expect(b.jobs.albumReportsDue()).toEqual([]);
  }, 180_000);

  it("a 4xx gives the report up at once: failed with its error, bot_album_report_failed, nothing owed any more", async () => {
    h = await startBot({ MM_NODE_DEAD_S: "3" });
    const b = h;
    const user = FakeTelegram.user(7202, { lang: "en" });
    const held = b.fake.hold("sendMessage", isReport);
    const ids = await albumOfTwo(b, user);
    await held.arrived;
    b.fake.inject("sendMessage", {
      remaining: 1,
      error_code: 400,
      description: "Bad Request: message is too long",
    });
    held.release();
    const failed = await b.fake.waitFor(
      () => b.logs.find((l) => l.event === "bot_album_report_failed"),
      60_000,
      "bot_album_report_failed",
    );
    expect(failed).toMatchObject({ level: "error", error_code: 400, attempts: 1, gave_up: true });
    expect(rowOf(b, ids[0] ?? "")).toEqual({
      state: "failed",
      attempts: 1,
      error: "400: Bad Request: message is too long",
    });
    // Given up: nothing is owed, so no catch-up pass sends it again.
    expect(b.fake.callsOf("sendMessage").filter(isReport)).toHaveLength(1);
    expect(b.jobs.albumReportsDue()).toEqual([]);
  }, 180_000);
});
