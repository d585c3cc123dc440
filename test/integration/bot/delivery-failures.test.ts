// A result the bot could not send (the real bot against the fake Bot API, real job service and ffmpeg,
// SQLite): the failure is kept on the row (attempts, last error) and never loops — Telegram's 4xx (the
// user blocked the bot, a refused request) gives up at once with bot_delivery_failed naming the task and
// the user; a transient error (429, 5xx) that outlasts the in-call retries leaves it pending, and the leader's next catch-up
// pass (every MM_NODE_DEAD_S) sends it.
import { afterEach, describe, expect, it } from "bun:test";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { type BotHarness, sendAndChoose, startBot } from "./harness";

let h: BotHarness | undefined;
let fx: string | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  if (fx) await cleanup(fx);
  fx = undefined;
});

type Row = { bot_delivery: string; bot_delivery_attempts: number; bot_delivery_error: string | null };
const rowOf = (b: BotHarness, id: string) =>
  b.dbh.sqlite
    .query<Row, [string]>(
      "SELECT bot_delivery, bot_delivery_attempts, bot_delivery_error FROM jobs WHERE public_id = ?1",
    )
    .get(id);

/** Masters a generated track through the bot; resolves with the task id once its delivery settled. */
async function masterThroughBot(b: BotHarness, user: ReturnType<typeof FakeTelegram.user>) {
  fx = await tempDir("mm-bot-fail-fx-");
  const track = await makeMusic(fx, { durationS: 1, name: "song.wav" });
  const msg = await sendAndChoose(b, user, track, {
    fileName: "song.wav",
    style: "standard",
    format: "wav24",
  });
  const m = await b.fake.waitFor(() => /Task #([A-Z0-9]{6})/.exec(msg.text ?? ""), 30_000, "the task id");
  return m[1] ?? "";
}

describe("bot result delivery failures", () => {
  it("a 4xx gives up at once: failed on the row with its error, bot_delivery_failed, no loop", async () => {
    h = await startBot({ MM_NODE_DEAD_S: "3" });
    const b = h;
    const user = FakeTelegram.user(7101, { lang: "en" });
    b.fake.inject("sendDocument", {
      remaining: 1,
      error_code: 400,
      description: "Bad Request: file is too big",
    });
    const id = await masterThroughBot(b, user);
    const failed = await b.fake.waitFor(
      () => b.logs.find((l) => l.event === "bot_delivery_failed" && l.task_id === id),
      60_000,
      "bot_delivery_failed",
    );
    expect(failed).toMatchObject({ level: "error", error_code: 400, attempts: 1, gave_up: true });
    expect(typeof failed.user_id).toBe("number");
    expect(rowOf(b, id)).toEqual({
      bot_delivery: "failed",
      bot_delivery_attempts: 1,
      bot_delivery_error: "400: Bad Request: file is too big",
    });
    // The user is told the result could not be sent (they did not block the bot).
    await b.fake.waitFor(
      () => b.fake.textsTo(user.id).some((t) => t.includes(id) && t.includes("sending the file failed")),
      30_000,
      "the failure notice",
    );
    // Given up: nothing is owed any more, so no catch-up pass sends it again.
    expect(b.jobs.botDeliveriesDue()).toEqual([]);
    expect(b.fake.callsOf("sendDocument")).toHaveLength(1);
  }, 120_000);

  it("a transient error (a rate limit past the in-call retries) is pending again and the next catch-up pass sends it (two attempts, error cleared)", async () => {
    h = await startBot({ MM_NODE_DEAD_S: "3" });
    const b = h;
    const user = FakeTelegram.user(7102, { lang: "en" });
    // The outgoing policy retries a rate limit within the call (3 times): four in a row fail this attempt.
    b.fake.failNextWith429("sendDocument", 4, 0);
    const id = await masterThroughBot(b, user);
    const retry = await b.fake.waitFor(
      () => b.logs.find((l) => l.event === "bot_delivery_retry" && l.task_id === id),
      60_000,
      "bot_delivery_retry",
    );
    expect(retry).toMatchObject({ error_code: 429, attempts: 1 });
    const doc = await b.fake.waitFor(() => b.fake.documentsTo(user.id)[0], 60_000, "the result on the retry");
    expect(doc.caption ?? "").toContain(id);
    await b.fake.waitFor(
      () => b.logs.find((l) => l.event === "bot_task_delivered" && l.task_id === id),
      30_000,
      "delivered",
    );
    expect(rowOf(b, id)).toEqual({
      bot_delivery: "sent",
      bot_delivery_attempts: 2,
      bot_delivery_error: null,
    });
    expect(b.fake.documentsTo(user.id)).toHaveLength(1);
    expect(b.fake.callsOf("sendDocument").map((c) => c.ok)).toEqual([false, false, false, false, true]);
  }, 120_000);
});
