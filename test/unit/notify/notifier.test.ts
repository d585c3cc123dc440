// The notifier against the fake Bot API: start-up text, a burst of failures folded into one message,
// per-kind throttling with a suppressed count, and silence (no throw) when Telegram refuses.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { silentLogger } from "../../../src/log";
import { createNotifier } from "../../../src/notify";
import { FakeTelegram } from "../../fakes/telegram";

let fake: FakeTelegram;
const CHAT = -100999;

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(() => fake.stop());

const make = (o: { now?: () => number; foldMs?: number } = {}) =>
  createNotifier({
    config: { MM_BOT_TOKEN: fake.token, MM_TELEGRAM_API_ROOT: fake.apiRoot, MM_ADMIN_CHAT_ID: String(CHAT) },
    log: silentLogger,
    foldMs: o.foldMs ?? 100,
    throttleMs: 60_000,
    now: o.now,
  });

const failed = (id: string) => ({
  id,
  error: { code: "ffmpeg_failed" },
  original_name: `${id}.wav`,
  owner_key: "tg:1",
});

describe("createNotifier", () => {
  it("announces start-up with version and host", async () => {
    await make().startup("1.2.3");
    expect(fake.textsTo(CHAT).at(-1)).toContain("v1.2.3");
  });

  it("folds a burst of failures into one message naming every task id", async () => {
    const n = make();
    const before = fake.messagesTo(CHAT).length;
    n.taskFailed(failed("AAAAAA"));
    n.taskFailed(failed("BBBBBB"));
    n.taskFailed(failed("CCCCCC"));
    await fake.waitFor(() => fake.messagesTo(CHAT).length > before, 30_000, "folded message");
    // stop() flushes whatever is still folded and waits for every send: after it, nothing more can come.
    await n.stop();
    expect(fake.messagesTo(CHAT).length).toBe(before + 1);
    const text = fake.textsTo(CHAT).at(-1) ?? "";
    for (const id of ["AAAAAA", "BBBBBB", "CCCCCC"]) expect(text).toContain(id);
    expect(text).toContain("ffmpeg_failed");
  });

  it("throttles notifyAdmin per kind and counts what it suppressed", async () => {
    let t = 1_000_000;
    const n = make({ now: () => t });
    expect(await n.notifyAdmin("disk_low", "120 MB free")).toBe(true);
    expect(await n.notifyAdmin("disk_low", "110 MB free")).toBe(false);
    expect(await n.notifyAdmin("disk_low", "100 MB free")).toBe(false);
    expect(await n.notifyAdmin("queue_long", "150 queued")).toBe(true);
    t += 61_000;
    expect(await n.notifyAdmin("disk_low", "90 MB free")).toBe(true);
    expect(fake.textsTo(CHAT).at(-1)).toContain("2 more of this kind were suppressed");
  });

  it("never throws when Telegram refuses (403) and reports false", async () => {
    fake.blockBotFor(CHAT);
    expect(await make().notifyAdmin("backup_failed", "disk full")).toBe(false);
    fake.unblockBotFor(CHAT);
  });

  it("only logs when no admin chat is configured", async () => {
    const n = createNotifier({
      config: { MM_BOT_TOKEN: "", MM_TELEGRAM_API_ROOT: fake.apiRoot, MM_ADMIN_CHAT_ID: "" },
      log: silentLogger,
    });
    expect(await n.notifyAdmin("x", "y")).toBe(false);
    await n.stop();
  });
});
