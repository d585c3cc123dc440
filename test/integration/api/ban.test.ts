// A ban mid-session on the real service (startService: the same wiring as `serve`) with MM_BILLING=on, a
// real ledger, the bot on the fake Telegram Bot API and ffmpeg behind a gate (so one job is running and the
// rest queued for as long as the test wants, on any machine). One user holds a session, an API key and a
// Telegram chat; a ban through the admin HTTP route refuses all three at once and cancels the queued jobs
// with exactly one refund ledger row each, audited; the bot's /ban and the CLI's `admin ban` do the same;
// an unban restores the key and the bot.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSqliteLedger, type Ledger, noCost } from "../../../src/billing";
import { adminCommands } from "../../../src/cli/admin";
import type { CliIo } from "../../../src/cli/types";
import { loadConfig } from "../../../src/config";
import { recentAudit } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { gatedFfmpeg } from "../../e2e/gated-ffmpeg";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, until } from "./harness";

const ADMIN_TOKEN = "admin-token-for-the-ban-test-0123456789";
const ADMIN_TG = 9001;
const USER_TG = 7001;
const gate = gatedFfmpeg();
let fake: FakeTelegram;
let s: RunningService;
let ledger: Ledger;
let dir: string;
let fx: string;
let wav: string;

beforeAll(async () => {
  fx = await tempDir();
  dir = await tempDir("mm-ban-");
  wav = await makeMusic(fx, { durationS: 1 });
  fake = await FakeTelegram.start();
  s = await startService(
    loadConfig({
      PORT: "0",
      MM_DATA_DIR: dir,
      MM_WORKERS: "1",
      MM_RATE_LIMIT_PER_MIN: "0",
      MM_BILLING: "on",
      MM_FFMPEG: gate.ffmpeg,
      MM_ADMIN_TOKEN: ADMIN_TOKEN,
      MM_BOT_TOKEN: fake.token,
      MM_TELEGRAM_API_ROOT: fake.apiRoot,
      MM_ADMIN_IDS: String(ADMIN_TG),
      MM_PUBLIC_URL: "https://mm.example.test",
    }),
    silentLogger,
  );
  // The real ledger on the service's database: the rows billing writes (its costs are not used here).
  ledger = createSqliteLedger(s.dbh, noCost);
});
afterAll(async () => {
  gate.open();
  await s.stop();
  await fake.stop();
  gate.killWaiting();
  await cleanup(dir);
  await cleanup(fx);
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const admin = bearer(ADMIN_TOKEN);
const me = (headers: Record<string, string>) => fetch(`${s.url}/api/auth/me`, { headers });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const master = async (key: string) =>
  fetch(`${s.url}/api/v2/master`, {
    method: "POST",
    headers: { "x-api-key": key },
    body: await form([{ name: "take.wav", data: wav }]),
  });
const rowsOf = (userId: number, reason: string, ref: string) =>
  ledger.rows(userId, 1000).filter((r) => r.reason === reason && r.ref === ref);

type Account = { id: number; session: string; key: string; tg: ReturnType<typeof FakeTelegram.user> };

/** A pro web user with a balance, a session, an API key and a Telegram chat on the same account. */
async function account(email: string, tgId: number): Promise<Account> {
  await post("/api/auth/register", { email, password: "ban-password" });
  // Test set-up no API offers yet: the tier (subscriptions will) and the Telegram link (/link will).
  s.dbh.sqlite.run("update users set tier = 'pro', telegram_id = ? where email = ?", [String(tgId), email]);
  const login = (await (await post("/api/auth/login", { email, password: "ban-password" })).json()) as {
    token: string;
    user: { id: number };
  };
  const created = await post("/api/auth/api-keys", { name: "ci" }, bearer(login.token));
  expect(created.status).toBe(201);
  const { key } = (await created.json()) as { key: string };
  ledger.credit(login.user.id, 10, { note: "test top-up", actor: "cli" });
  return { id: login.user.id, session: login.token, key, tg: FakeTelegram.user(tgId, { lang: "en" }) };
}

/** Sends `text` from the user's chat and returns the bot's next reply. */
async function botReply(u: Account["tg"], text: string): Promise<string> {
  const before = fake.textsTo(u.id).length;
  fake.userSendsText(u, text);
  return fake.waitFor(() => fake.textsTo(u.id)[before], 30_000, `reply to ${text}`);
}

/** Submits `n` masters with the key; returns their ids. */
async function jobs(a: Account, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await master(a.key);
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

/** Asserts the account is refused by key and bot, and its queued jobs were cancelled with one refund each. */
async function expectBanned(a: Account, queued: string[]) {
  const byKey = await me({ "x-api-key": a.key });
  expect(byKey.status).toBe(403);
  expect(await codeOf(byKey)).toBe("account_banned");
  const sub = await master(a.key);
  expect(sub.status).toBe(403);
  expect(await codeOf(sub)).toBe("account_banned");
  expect(await botReply(a.tg, "/help")).toContain("suspended");
  for (const id of queued) {
    expect(s.jobs.get(id)?.status).toBe("cancelled");
    expect(rowsOf(a.id, "charge", id)).toHaveLength(1);
    expect(rowsOf(a.id, "refund", id)).toHaveLength(1);
  }
}

async function expectRestored(a: Account) {
  expect((await me({ "x-api-key": a.key })).status).toBe(200);
  expect(await botReply(a.tg, "/help")).toContain("/master");
}

const auditOf = (userId: number) =>
  recentAudit(s.dbh.db).find((e) => e.action === "user_ban" && e.target === `user:${userId}`);

// The tests share the service and run in order: the first job submitted stays running at the gate (one
// worker), so every later job waits in the queue until the last test opens the gate.
let first: { a: Account; running: string };

describe("ban mid-session", () => {
  test("the HTTP ban refuses session, key and bot at once and cancels queued jobs with one refund each; unban restores key and bot", async () => {
    const a = await account("banned@example.com", USER_TG);
    expect((await me(bearer(a.session))).status).toBe(200);
    expect((await me({ "x-api-key": a.key })).status).toBe(200);
    expect(await botReply(a.tg, "/help")).toContain("/master");

    const ids = await jobs(a, 3);
    await until(
      "the first job running at the gate",
      () => s.jobs.get(ids[0] ?? "")?.status,
      (st) => st === "running",
    );
    const queued = ids.slice(1);
    for (const id of queued) expect(s.jobs.get(id)?.status).toBe("queued");
    expect(ledger.balance(a.id)).toBe(7);

    const ban = await post(`/api/admin/users/id%3A${a.id}/ban`, { reason: "chargeback" }, admin);
    expect(ban.status).toBe(200);
    expect(await ban.json()).toEqual({
      id: a.id,
      banned: true,
      banned_at: expect.any(Number),
      ban_reason: "chargeback",
      sessions_ended: 2, // register's and login's
      jobs_cancelled: 2,
    });
    // At once, on the very next request / update:
    expect((await me(bearer(a.session))).status).toBe(401);
    await expectBanned(a, queued);
    expect(ledger.balance(a.id)).toBe(9);
    expect(auditOf(a.id)?.actor).toBe("http:admin");
    expect(JSON.parse(String(auditOf(a.id)?.details))).toMatchObject({
      reason: "chargeback",
      jobs_cancelled: 2,
    });
    // The running job was paid for: not cancelled, not refunded.
    expect(s.jobs.get(ids[0] ?? "")?.status).toBe("running");

    const unban = await post(`/api/admin/users/id%3A${a.id}/unban`, {}, admin);
    expect(unban.status).toBe(200);
    expect(((await unban.json()) as { banned: boolean }).banned).toBe(false);
    await expectRestored(a);
    // The ban ended the session for good; signing in again works.
    expect((await me(bearer(a.session))).status).toBe(401);
    const again = await post("/api/auth/login", { email: "banned@example.com", password: "ban-password" });
    expect(again.status).toBe(200);
    first = { a, running: ids[0] ?? "" };
  }, 120_000);

  test("the bot's /ban does the same, and /unban restores", async () => {
    const b = await account("bot-banned@example.com", USER_TG + 1);
    const queued = await jobs(b, 2);
    for (const id of queued) expect(s.jobs.get(id)?.status).toBe("queued");
    const adminTg = FakeTelegram.user(ADMIN_TG, { lang: "en" });
    const reply = await botReply(adminTg, `/ban id:${b.id} spam`);
    expect(reply).toContain("banned");
    expect(reply).toContain(": 2.");
    await expectBanned(b, queued);
    expect(auditOf(b.id)?.actor).toBe(`tg:${ADMIN_TG}`);
    expect(await botReply(adminTg, `/unban id:${b.id}`)).toContain("unbanned");
    await expectRestored(b);
  }, 120_000);

  test("the CLI's admin ban does the same against the running service's database, and unban restores", async () => {
    const c = await account("cli-banned@example.com", USER_TG + 2);
    const queued = await jobs(c, 2);
    const out: string[] = [];
    const io: CliIo = {
      env: { MM_DATA_DIR: dir, MM_BILLING: "on" },
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      isTty: false,
    };
    const run = adminCommands.admin?.run ?? (() => Promise.resolve(2));
    expect(await run(["ban", `id:${c.id}`, "--reason", "abuse", "--json"], io)).toBe(0);
    expect(JSON.parse(out.join(""))).toMatchObject({ id: c.id, jobs_cancelled: 2, sessions_ended: 2 });
    await expectBanned(c, queued);
    expect(auditOf(c.id)?.actor).toBe("cli");
    expect(await run(["unban", `id:${c.id}`], io)).toBe(0);
    await expectRestored(c);
  }, 120_000);

  test("the job that was running when its owner was banned finishes, charged once and never refunded", async () => {
    gate.open();
    await until(
      "running job done",
      () => s.jobs.get(first.running)?.status,
      (st) => st === "done",
      120_000,
    );
    expect(rowsOf(first.a.id, "charge", first.running)).toHaveLength(1);
    expect(rowsOf(first.a.id, "refund", first.running)).toHaveLength(0);
    expect(ledger.balance(first.a.id)).toBe(9);
  }, 150_000);
});
