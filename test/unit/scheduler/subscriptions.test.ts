// The subscriptions task on a real SQLite file with a test clock, run through the scheduler by name;
// bot warnings go through the real grammY client to the fake Bot API (a local HTTP server), e-mail through
// the SMTP mailer (nodemailer) to a real SMTP server on loopback that keeps what it received.
// Proves: expiry back to free (audited), one warning per channel 3 days before, in the user's language,
// none again on the next run or after a restart, again after a renewal; a failed channel is retried.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { Api } from "grammy";
import { type Accounts, createAccounts, createSqliteAccountStores, DAY_MS } from "../../../src/accounts";
import { closeDb, type DbHandle, openDb, recentAudit } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { createSmtpMailer, createUserMessenger, type SmtpMailer } from "../../../src/notify";
import { createScheduler, type TaskCounts } from "../../../src/scheduler";
import { type SmtpFake, startSmtp } from "../../fakes/smtp";
import { FakeTelegram } from "../../fakes/telegram";
import { type Env, makeEnv } from "./helpers";

let fake: FakeTelegram;
let env: Env;
let clock = Date.UTC(2026, 11, 1, 12, 0);
let smtp: SmtpFake;
let mailer: SmtpMailer;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  smtp = await startSmtp();
  mailer = createSmtpMailer({ url: smtp.url, from: "Magic Master <noreply@mm.test>", log: silentLogger });
  env = makeEnv();
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
  await fake.stop();
  closeDb(env.dbh);
});

/** A service generation over the database file: accounts + scheduler, as after a (re)start. */
function generation(dbh: DbHandle) {
  const accounts = createAccounts({
    stores: createSqliteAccountStores(dbh),
    log: silentLogger,
    now: () => clock,
    jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
  });
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  const scheduler = createScheduler({
    ...env.deps(),
    now: () => new Date(clock),
    subscriptions: {
      accounts: accounts.subscriptions,
      mailer,
      messenger: createUserMessenger(api, silentLogger),
      onBotBlocked: (id) => accounts.markBotBlocked(id),
      publicUrl: "https://mm.example",
    },
  });
  return { accounts, run: (): Promise<TaskCounts> => scheduler.runOnce("subscriptions") };
}

let tg = 5100;
function subscriber(acc: Accounts, lang: "ru" | "en", email: string | null, verified = true) {
  const u = acc.seenTelegramUser({ id: tg++, language_code: lang });
  if (email)
    env.dbh.sqlite.run("UPDATE users SET email = ?1, email_verified_at = ?2 WHERE id = ?3", [
      email,
      verified ? clock : null,
      u.id,
    ]);
  return { id: u.id, chat: Number(u.telegramId) };
}
// The task awaits each send, so a mail it counted has been accepted by the server before run() returns.
const mailsTo = (to: string) => smtp.to(to);

describe("subscriptions task", () => {
  it("is a named task with its MM_CRON_SUBSCRIPTIONS schedule", () => {
    const s = createScheduler(env.deps());
    expect(s.tasks).toContainEqual({ name: "subscriptions", schedule: "*/5 * * * *" });
  });

  it("warns once per channel 3 days before, in the user's language; not again after a restart; again after a renewal", async () => {
    let g = generation(env.dbh);
    const u = subscriber(g.accounts, "ru", "anna@example.org");
    const first = g.accounts.extendTier(u.id, "pro", 10, "pay-w1");
    const expiry = first.expiresAt ?? 0;

    clock = expiry - 3 * DAY_MS - 60_000; // a minute before the window
    expect(await g.run()).toMatchObject({ warned_email: 0, warned_bot: 0 });
    expect(fake.textsTo(u.chat)).toEqual([]);

    clock = expiry - 3 * DAY_MS + 60_000;
    expect(await g.run()).toMatchObject({ warned_email: 1, warned_bot: 1, warn_failed: 0 });
    const [mail] = mailsTo("anna@example.org");
    expect(mail?.from).toBe("noreply@mm.test");
    expect(mail?.subject).toContain("Тариф pro");
    expect(mail?.text).toContain(new Date(expiry).toISOString().slice(0, 10));
    expect(mail?.text).toContain("https://mm.example");
    expect(fake.textsTo(u.chat)).toHaveLength(1);
    expect(fake.textsTo(u.chat)[0]).toContain("Ваш тариф pro");

    clock += 60 * 60_000;
    expect(await g.run()).toMatchObject({ warned_email: 0, warned_bot: 0 });

    // A restart: a new generation over a reopened file finds the recorded warnings.
    closeDb(env.dbh);
    env.dbh = openDb(env.layout.db);
    g = generation(env.dbh);
    expect(await g.run()).toMatchObject({ warned_email: 0, warned_bot: 0 });
    expect(mailsTo("anna@example.org")).toHaveLength(1);
    expect(fake.textsTo(u.chat)).toHaveLength(1);

    // Renewed early: the new expiry is 30 days further; its own warning comes 3 days before it.
    const renewed = g.accounts.extendTier(u.id, "pro", 30, "pay-w2");
    expect(renewed.expiresAt).toBe(expiry + 30 * DAY_MS);
    clock = expiry + 60_000; // the old end passed: nothing expires, nothing is warned
    expect(await g.run()).toMatchObject({ expired: 0, warned_email: 0, warned_bot: 0 });
    expect(g.accounts.find(`#${u.id}`)?.tier).toBe("pro");
    clock = (renewed.expiresAt ?? 0) - 2 * DAY_MS;
    expect(await g.run()).toMatchObject({ warned_email: 1, warned_bot: 1 });
    expect(mailsTo("anna@example.org")).toHaveLength(2);
    expect(fake.textsTo(u.chat)).toHaveLength(2);

    // The end: back to free, audited by the scheduler; no more warnings.
    clock = renewed.expiresAt ?? 0;
    expect(await g.run()).toMatchObject({ expired: 1, warned_email: 0, warned_bot: 0 });
    expect(g.accounts.find(`#${u.id}`)).toMatchObject({ tier: "free", tierExpiresAt: null });
    const audit = recentAudit(env.dbh.db, 50).filter((a) => a.target === `user:${u.id}`);
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual([
      "scheduler tier_expired",
      "system tier_extended",
      "system tier_extended",
    ]);
  });

  it("writes to an English user in English and retries a channel that failed, without repeating the other", async () => {
    const g = generation(env.dbh);
    const u = subscriber(g.accounts, "en", "bob@example.org");
    const expiry = g.accounts.extendTier(u.id, "studio", 2, "pay-w3").expiresAt ?? 0;
    clock = expiry - DAY_MS;
    smtp.refuse(true); // the server answers 451 to the message
    expect(await g.run()).toMatchObject({ warned_email: 0, warned_bot: 1, warn_failed: 1 });
    smtp.refuse(false);
    expect(fake.textsTo(u.chat)[0]).toContain("Your studio tier");
    expect(await g.run()).toMatchObject({ warned_email: 1, warned_bot: 0, warn_failed: 0 });
    expect(mailsTo("bob@example.org").map((m) => m.subject)).toEqual([
      `Your studio tier ends on ${new Date(expiry).toISOString().slice(0, 16).replace("T", " ")}`,
    ]);
    expect(fake.textsTo(u.chat)).toHaveLength(1);
  });

  it("marks a user who blocked the bot and stops writing to them there; banned users and unconfirmed addresses get nothing", async () => {
    const g = generation(env.dbh);
    const blocked = subscriber(g.accounts, "en", null);
    const banned = subscriber(g.accounts, "en", "banned@example.org");
    const unconfirmed = subscriber(g.accounts, "en", "unconfirmed@example.org", false);
    g.accounts.extendTier(unconfirmed.id, "pro", 2, "pay-w6");
    const e1 = g.accounts.extendTier(blocked.id, "pro", 2, "pay-w4").expiresAt ?? 0;
    g.accounts.extendTier(banned.id, "pro", 2, "pay-w5");
    g.accounts.ban(`#${banned.id}`, "spam", "cli");
    fake.blockBotFor(blocked.chat);
    clock = e1 - DAY_MS;
    expect(await g.run()).toMatchObject({ warned_email: 0, warned_bot: 1, warn_failed: 1 });
    expect(g.accounts.find(`#${blocked.id}`)?.botBlockedAt).not.toBeNull();
    expect(await g.run()).toMatchObject({ warned_bot: 0, warn_failed: 0 });
    expect(mailsTo("banned@example.org")).toEqual([]);
    // An address never confirmed gets no mail over SMTP; the bot still tells that user.
    expect(mailsTo("unconfirmed@example.org")).toEqual([]);
    expect(fake.textsTo(unconfirmed.chat)).toHaveLength(1);
    expect(fake.textsTo(banned.chat)).toEqual([]);
  });
});
