// Hostile and odd cases first: oversize files, stickers, groups, channel posts, edited messages, stale
// buttons, non-admins trying admin commands, banned users, 429s from the API, blocked chats, bad tokens.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAccounts, createSqliteAccountStores } from "../../../src/accounts";
import { createBot } from "../../../src/bot";
import { createAuditLog, recentAudit } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { makeSilence } from "../../fixtures/audio";
import { ADMIN_ID, type BotHarness, drain, sendAndChoose, startBot } from "./harness";

let h: BotHarness;
const T = 60_000;
const admin = FakeTelegram.user(ADMIN_ID, { username: "boss", lang: "en" });

beforeAll(async () => {
  h = await startBot();
});
afterAll(() => h.stop());

const lastText = (id: number) => h.fake.textsTo(id).at(-1) ?? "";
const replyCount = (id: number) => h.fake.messagesTo(id).length;
async function ask(user: ReturnType<typeof FakeTelegram.user>, text: string): Promise<string> {
  const before = replyCount(user.id);
  h.fake.userSendsText(user, text);
  await h.fake.waitFor(() => replyCount(user.id) > before, 5000, `reply to ${text}`);
  return lastText(user.id);
}

describe("bot robustness", () => {
  it(
    "answers a 25 MB file with the web upload link and never downloads it",
    async () => {
      const u = FakeTelegram.user(6001, { lang: "en" });
      const small = join(h.dir, "tiny.wav");
      writeFileSync(small, new Uint8Array(64));
      h.fake.userSendsAudio(u, small, { fileName: "huge.wav", fileSize: 25 * 1024 * 1024 });
      const text = await h.fake.waitFor(() => h.fake.textsTo(u.id).at(-1), 5000, "limit message");
      expect(text).toContain("20 MB");
      expect(text).toContain("https://mm.example.test/");
      expect(h.fake.callsOf("getFile")).toHaveLength(0);
    },
    T,
  );

  it(
    "ignores groups, channel posts and edited messages; hints on stickers; answers stale buttons",
    async () => {
      const u = FakeTelegram.user(6002, { lang: "en" });
      const calls = h.fake.calls.length;
      h.fake.userSendsText(u, "/start", { chatId: -4242 });
      h.fake.pushUpdate({
        channel_post: {
          message_id: 1,
          date: 1,
          chat: { id: -100777, type: "channel", title: "c" },
          text: "hi",
        },
      });
      h.fake.pushUpdate({
        edited_message: {
          message_id: 1,
          date: 1,
          edit_date: 2,
          chat: { id: u.id, type: "private" },
          from: u,
          text: "x",
        },
      });
      h.fake.pushUpdate({
        message: {
          message_id: 50,
          date: 1,
          chat: { id: u.id, type: "private" },
          from: u,
          sticker: {
            file_id: "s",
            file_unique_id: "s",
            type: "regular",
            width: 1,
            height: 1,
            is_animated: false,
            is_video: false,
          },
        },
      });
      await h.fake.waitFor(() => h.fake.textsTo(u.id).at(-1), 5000, "sticker hint");
      expect(lastText(u.id)).toContain("audio file");
      h.fake.userPressesButton(u, 999, "st:standard");
      await h.fake.waitFor(
        () => h.fake.answeredCallbacks.find((a) => String(a.text ?? "").includes("expired")),
        5000,
        "stale answer",
      );
      h.fake.userPressesButton(u, 999, "garbage-from-2019");
      await h.fake.waitFor(() => h.fake.answeredCallbacks.length >= 2, 5000, "garbage answer");
      const sentAfter = h.fake.calls.slice(calls).filter((c) => c.method === "sendMessage");
      expect(sentAfter.every((c) => Number(c.params.chat_id) === u.id)).toBe(true);
      expect(h.logs.filter((l) => l.event === "bot_update_failed")).toHaveLength(0);
    },
    T,
  );

  it(
    "treats /admin, /broadcast and /ban from a non-admin as unknown commands, with no effect",
    async () => {
      const u = FakeTelegram.user(6003, { lang: "en" });
      const victim = FakeTelegram.user(6004, { username: "victim", lang: "en" });
      await ask(victim, "/start");
      const unknown = await ask(u, "/nosuchcommand");
      for (const cmd of [
        "/admin",
        "/broadcast hello everyone",
        "/ban @victim spam",
        "/stats",
        "/user @victim",
      ]) {
        expect(await ask(u, cmd)).toBe(unknown);
      }
      expect(recentAudit(h.dbh.db)).toHaveLength(0);
      expect(h.fake.textsTo(victim.id).some((t) => t.includes("hello everyone"))).toBe(false);
      h.fake.userSendsText(victim, "/help");
      await h.fake.waitFor(() => lastText(victim.id).includes("/master"), 5000, "victim still served");
      expect(lastText(victim.id)).not.toContain("/broadcast");
    },
    T,
  );

  it("registers admin commands only in the admin's own chat", () => {
    const adminScope = [...h.fake.commands.keys()].filter((k) => k.includes(`"chat_id":${ADMIN_ID}`));
    expect(adminScope.length).toBeGreaterThan(0);
    const defaults = h.fake.commands.get(`${JSON.stringify({ type: "default" })}|ru`) as {
      command: string;
    }[];
    expect(defaults.map((c) => c.command)).not.toContain("broadcast");
    const own = h.fake.commands.get(adminScope[0] ?? "") as { command: string }[];
    expect(own.map((c) => c.command)).toContain("broadcast");
  });

  it(
    "refuses a banned user once, politely, and starts no job",
    async () => {
      const u = FakeTelegram.user(6005, { username: "spammer", lang: "en" });
      await ask(u, "/start");
      expect(await ask(admin, "/ban @spammer flooding")).toContain("banned");
      const track = join(h.dir, "t.wav");
      writeFileSync(track, new Uint8Array(64));
      const before = replyCount(u.id);
      h.fake.userSendsAudio(u, track, { fileName: "t.wav" });
      h.fake.userSendsText(u, "/master");
      await h.fake.waitFor(() => replyCount(u.id) > before, 5000, "refusal");
      await drain(h, u);
      expect(replyCount(u.id)).toBe(before + 1);
      expect(lastText(u.id)).toContain("suspended");
      expect(h.jobs.listByOwner("tg:6005", 10)).toHaveLength(0);
      expect(recentAudit(h.dbh.db).map((a) => a.action)).toContain("user_ban");
      expect(await ask(admin, "/unban @spammer")).toContain("unbanned");
      expect(await ask(u, "/help")).toContain("/master");
    },
    T,
  );

  it(
    "admin /errors, /stats and /jobs read the job reports: a failed task shows with its id and reason",
    async () => {
      const u = FakeTelegram.user(6010, { lang: "en" });
      const silence = await makeSilence(h.dir, { durationS: 2, name: "quiet.wav" });
      const msg = await sendAndChoose(h, u, silence, {
        fileName: "quiet.wav",
        style: "standard",
        format: "mp3",
      });
      const id = await h.fake.waitFor(
        () => /Task #([A-Z0-9]{6}) failed/.exec(msg.text ?? "")?.[1],
        30_000,
        "task failure in the task message",
      );
      const errors = await ask(admin, "/errors");
      expect(errors).toContain("Recent failures");
      expect(errors).toMatch(new RegExp(`#${id} · audio_silent · tg:6010 · \\d{4}-\\d\\d-\\d\\d`));
      const stats = await ask(admin, "/stats");
      expect(stats).toMatch(/Today \(UTC\)\nTasks: \d+ done, [1-9]\d* failed/);
      expect(stats).toContain("7 days");
      expect(await ask(admin, "/jobs")).toBe("The queue is empty.");
      const actions = recentAudit(h.dbh.db).map((a) => a.action);
      for (const a of ["bot_errors", "bot_stats", "bot_jobs"]) expect(actions).toContain(a);
    },
    T,
  );

  it(
    "retries a reply that Telegram answered with 429 retry_after",
    async () => {
      const u = FakeTelegram.user(6006, { lang: "en" });
      h.fake.failNextWith429("sendMessage", 1, 1);
      h.fake.userSendsText(u, "/help");
      await h.fake.waitFor(() => h.fake.textsTo(u.id).at(-1), 30_000, "reply after 429");
      const sends = h.fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === u.id);
      expect(sends.map((c) => c.error_code ?? 200)).toEqual([429, 200]);
      // The retry honoured retry_after=1: a lower bound set by the bot's own timer, measured where
      // Telegram would see it (a slow machine only widens the gap).
      expect((sends[1]?.at ?? 0) - (sends[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    },
    T,
  );

  it(
    "broadcasts after confirmation and reports delivered / blocked",
    async () => {
      const blocked = FakeTelegram.user(6007, { lang: "en" });
      await ask(blocked, "/start");
      h.fake.blockBotFor(blocked.id);
      await ask(admin, "/broadcast Big news");
      const preview = await h.fake.waitFor(
        () =>
          h.fake
            .messagesTo(admin.id)
            .find((m) => buttonsOf(m).some((b) => b.callback_data?.startsWith("bc:"))),
        5000,
        "preview",
      );
      const go = buttonsOf(preview).find((b) => b.callback_data?.endsWith(":go"))?.callback_data ?? "";
      h.fake.userPressesButton(admin, preview.message_id, go);
      const report = await h.fake.waitFor(
        () => h.fake.textsTo(admin.id).find((t) => t.includes("Broadcast finished")),
        20_000,
        "report",
      );
      expect(report).toMatch(/[1-9]\d* delivered, 1 blocked the bot, 0 failed/);
      expect(h.fake.textsTo(6001)).toContain("Big news");
      expect(recentAudit(h.dbh.db).map((a) => a.action)).toContain("bot_broadcast_sent");
    },
    T,
  );

  it(
    "logs a rejected token clearly, reports status error, and does not throw",
    async () => {
      const lines: string[] = [];
      const { createLogger } = await import("../../../src/log");
      const bad = createBot({
        config: { ...h.config, MM_BOT_TOKEN: "1:wrong" },
        log: createLogger("info", (l) => lines.push(l)),
        jobs: h.jobs,
        accounts: createAccounts({
          stores: createSqliteAccountStores(h.dbh),
          log: silentLogger,
          jobsOfUser: h.jobs.reports.countsOfUser,
        }),
        audit: createAuditLog({ kind: "sqlite", dbh: h.dbh }),
        layout: h.layout,
        version: "test",
      });
      await bad.start();
      expect(bad.status()).toBe("error");
      expect(lines.join("\n")).toContain("bot_token_rejected");
      expect(lines.join("\n")).not.toContain("1:wrong");
      await bad.stop();
      const off = createBot({
        config: { ...h.config, MM_BOT_TOKEN: "" },
        log: silentLogger,
        jobs: h.jobs,
        accounts: createAccounts({
          stores: createSqliteAccountStores(h.dbh),
          log: silentLogger,
          jobsOfUser: h.jobs.reports.countsOfUser,
        }),
        audit: createAuditLog({ kind: "sqlite", dbh: h.dbh }),
        layout: h.layout,
        version: "t",
      });
      await off.start();
      expect(off.status()).toBe("disabled");
    },
    T,
  );
});
