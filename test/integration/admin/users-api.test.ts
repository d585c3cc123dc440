// Issue 14 point 3 over loopback HTTP on the real service (SQLite in a temp dir, real ffmpeg for one job):
// search by e-mail / @username / Telegram id / #id / job id, filters and pages, a user's whole page, and
// every action — balance through the ledger (once per ref), tier + expiry, ban/unban effective at once,
// revoking sessions and keys, delete (anonymised, files gone, ledger kept) — each audited with actor, IP,
// before and after; the CSV export parsed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, until } from "../api/harness";
import { parseCsv } from "./csv";
import { type AdminFixture, startAdminFixture } from "./fixture";

type Json = Record<string, unknown>;
type Audit = { actor: string; action: string; target: string; details: string };

let f: AdminFixture;
let fx: string;
let alice: { id: number; session: string };
let jobId = "";
const api = async (method: string, path: string, body?: unknown, lang = "en") => {
  const res = await fetch(`${f.s.url}/api/admin${path}`, {
    method,
    headers: {
      ...f.as("admin", method),
      "accept-language": lang,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const audits = (action: string) =>
  f.s.dbh.sqlite
    .query("select actor, action, target, details from audit_log where action = ? order by id")
    .all(action) as Audit[];
/** The oracle for the has-balance filter: users whose ledger rows sum above zero. */
const withTokens = () =>
  (
    f.s.dbh.sqlite.query("select user_id from ledger group by user_id having sum(delta) > 0").all() as {
      user_id: number;
    }[]
  )
    .map((r) => r.user_id)
    .sort();
const adminId = () =>
  (f.s.dbh.sqlite.query("select id from users where email = 'root@example.com'").get() as { id: number }).id;
const me = (session: string) =>
  fetch(`${f.s.url}/api/auth/me`, { headers: { authorization: `Bearer ${session}` } }).then((r) => r.status);
async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${f.s.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  f = await startAdminFixture();
  fx = await tempDir();
  // Alice: an e-mail account that invites Bob, masters one track and holds an API key.
  const aliceId = await f.newUser("alice.smith@example.com", "alice-password-1");
  alice = { id: aliceId, session: await login("alice.smith@example.com", "alice-password-1") };
  const link = (await (
    await fetch(`${f.s.url}/api/referral/my-link`, { headers: { authorization: `Bearer ${alice.session}` } })
  ).json()) as { referral_code: string };
  await fetch(`${f.s.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bob@example.com", password: "bob-password-12", ref: link.referral_code }),
  });
  const wav = await makeMusic(fx, { durationS: 1 });
  const sub = await fetch(`${f.s.url}/api/v2/master`, {
    method: "POST",
    headers: { authorization: `Bearer ${alice.session}` },
    body: await form([{ name: "alice.wav", data: wav }]),
  });
  jobId = ((await sub.json()) as { id: string }).id;
  await until(
    "alice's job done",
    () => f.s.jobs.get(jobId)?.status,
    (s) => s === "done",
    120_000,
  );
  // A Telegram-only user as the bot creates them (test setup: the bot is not running here).
  f.s.dbh.sqlite.run(
    "insert into users (telegram_id, telegram_username, lang, created_at) values ('777001', 'carol_tg', 'ru', ?)",
    [Date.now()],
  );
  for (let i = 0; i < 7; i++) await f.newUser(`filler${i}@example.com`);
});
afterAll(async () => {
  await f.stop();
  await cleanup(fx);
});

const ids = (b: Json) => (b.users as { id: number }[]).map((u) => u.id);

describe("search, filters, pages", () => {
  test("by part of an e-mail, @username, Telegram id, #id and a job id", async () => {
    expect(ids((await api("GET", "/users?q=SMITH")).body)).toEqual([alice.id]);
    const carol = (await api("GET", "/users?q=@carol")).body;
    expect((carol.users as { telegram_id: string }[]).map((u) => u.telegram_id)).toEqual(["777001"]);
    expect(ids((await api("GET", "/users?q=777001")).body)).toEqual(ids(carol));
    expect(ids((await api("GET", `/users?q=%23${alice.id}`)).body)).toEqual([alice.id]);
    expect(ids((await api("GET", `/users?q=${jobId.toLowerCase()}`)).body)).toEqual([alice.id]);
    expect((await api("GET", "/users?q=nobody-here")).body.total).toBe(0);
  });

  test("filters: tier, banned, has balance; pages with a total", async () => {
    const all = (await api("GET", "/users?limit=200")).body;
    const total = all.total as number;
    expect(total).toBeGreaterThanOrEqual(12);
    const page1 = (await api("GET", "/users?limit=5&offset=0")).body;
    const page2 = (await api("GET", "/users?limit=5&offset=5")).body;
    expect(page1.total).toBe(total);
    expect(ids(page1)).toHaveLength(5);
    expect(ids(page1).filter((i) => ids(page2).includes(i))).toEqual([]);
    expect([...ids(page1), ...ids(page2)]).toEqual(ids(all).slice(0, 10));
    // Everyone starts on free; nobody is banned yet.
    expect((await api("GET", "/users?tier=pro")).body.total).toBe(0);
    expect((await api("GET", "/users?tier=free")).body.total).toBe(total);
    expect((await api("GET", "/users?banned=true")).body.total).toBe(0);
    const rich = withTokens();
    expect(ids((await api("GET", "/users?has_balance=true&limit=200")).body).sort()).toEqual(rich);
    expect((await api("GET", "/users?has_balance=false")).body.total).toBe(total - rich.length);
    const bad = await api("GET", "/users?limit=0");
    expect(bad.status).toBe(400);
  });
});

describe("a user's page", () => {
  test("jobs, ledger, referrals, sessions, API keys, Telegram link — and nothing secret", async () => {
    await fetch(`${f.s.url}/api/auth/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.session}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "alice-ci" }),
    });
    const { status, body } = await api("GET", `/users/${alice.id}`);
    expect(status).toBe(200);
    const b = body as {
      user: Json;
      jobs: { id: string; status: string }[];
      job_counts: Json;
      referrals: { invited: { email: string }[]; invited_by: unknown };
      sessions: { ip: string | null }[];
      api_keys: { name: string; prefix: string }[];
      telegram: Json;
      ledger: unknown[];
      orders: unknown[];
    };
    expect(b.user).toMatchObject({
      id: alice.id,
      email: "alice.smith@example.com",
      tier: "free",
      balance: 0,
    });
    expect(b.jobs.map((j) => [j.id, j.status])).toEqual([[jobId, "done"]]);
    expect(b.job_counts).toMatchObject({ total: 1, done: 1 });
    expect(b.referrals.invited.map((r) => r.email)).toEqual(["bob@example.com"]);
    expect(b.referrals.invited_by).toBeNull();
    expect(b.sessions.length).toBeGreaterThanOrEqual(1);
    expect(b.api_keys.map((k) => k.name)).toEqual(["alice-ci"]);
    expect(b.telegram).toMatchObject({ linked: false, merged_ids: [] });
    expect(b.ledger).toEqual([]);
    expect(b.orders).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/password|token_hash|key_hash|argon|\$2[aby]\$/i);
    expect((await api("GET", "/users/999999")).status).toBe(404);
  });
});

describe("actions", () => {
  test("balance: a ledger row with the reason, once per ref, never below zero; audited with IP, before, after", async () => {
    const ref = "form-0001-abcdef";
    const credit = await api("POST", `/users/${alice.id}/balance`, {
      delta: 7,
      reason: "support case 12",
      ref,
    });
    expect(credit.status).toBe(200);
    expect(credit.body).toMatchObject({ delta: 7, balance: 7, applied: true });
    const again = await api("POST", `/users/${alice.id}/balance`, {
      delta: 7,
      reason: "support case 12",
      ref,
    });
    expect(again.body).toMatchObject({ balance: 7, applied: false, ledger_id: credit.body.ledger_id });
    const debit = await api("POST", `/users/${alice.id}/balance`, {
      delta: -2,
      reason: "correction",
      ref: "form-0002-abcdef",
    });
    expect(debit.body).toMatchObject({ delta: -2, balance: 5, applied: true });
    const tooMuch = await api(
      "POST",
      `/users/${alice.id}/balance`,
      { delta: -6, reason: "x", ref: "form-0003-abcdef" },
      "ru",
    );
    expect(tooMuch.status).toBe(403);
    expect((tooMuch.body.error as { code: string; message: string }).code).toBe("insufficient_tokens");
    expect((tooMuch.body.error as { message: string }).message).toMatch(/[а-я]/i);
    const noReason = await api("POST", `/users/${alice.id}/balance`, {
      delta: 1,
      reason: " ",
      ref: "form-0004-abcdef",
    });
    expect(noReason.status).toBe(400);
    const rows = f.s.dbh.sqlite
      .query("select delta, reason, actor, note from ledger where user_id = ? order by id")
      .all(alice.id);
    expect(rows).toEqual([
      { delta: 7, reason: "admin_credit", actor: `user:${adminId()}`, note: "support case 12" },
      { delta: -2, reason: "admin_debit", actor: `user:${adminId()}`, note: "correction" },
    ]);
    const a = audits("ledger_credit");
    expect(a).toHaveLength(1);
    expect(a[0]?.actor).toBe(`user:${adminId()}`);
    expect(JSON.parse(a[0]?.details ?? "{}")).toMatchObject({
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      before: { balance: 0 },
      after: { balance: 7 },
      reason: "support case 12",
    });
    // The has-balance filter now finds her too.
    expect(withTokens()).toContain(alice.id);
    expect(ids((await api("GET", "/users?has_balance=true&limit=200")).body).sort()).toEqual(withTokens());
  });

  test("tier + expiry: set, audited before/after; an expiry in the past is refused in the caller's language", async () => {
    const until = Date.now() + 30 * 86_400_000;
    const set = await api("POST", `/users/${alice.id}/tier`, {
      tier: "pro",
      expires_at: until,
      reason: "gift",
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ tier: "pro", tier_expires_at: until });
    const me2 = (await (
      await fetch(`${f.s.url}/api/auth/me`, { headers: { authorization: `Bearer ${alice.session}` } })
    ).json()) as { tier: string };
    expect(me2.tier).toBe("pro");
    const past = await api(
      "POST",
      `/users/${alice.id}/tier`,
      { tier: "pro", expires_at: 1000, reason: "x" },
      "ru",
    );
    expect(past.status).toBe(400);
    expect(past.body.error).toEqual({
      code: "expiry_in_past",
      message: "Срок тарифа должен быть в будущем.",
    });
    const unknown = await api("POST", `/users/${alice.id}/tier`, {
      tier: "gold",
      expires_at: null,
      reason: "x",
    });
    expect((unknown.body.error as { code: string }).code).toBe("tier_not_found");
    const a = audits("user_tier_set");
    expect(a).toHaveLength(1);
    expect(JSON.parse(a[0]?.details ?? "{}")).toMatchObject({
      before: { tier: "free", tier_expires_at: null },
      after: { tier: "pro", tier_expires_at: until },
      reason: "gift",
    });
  });

  test("ban ends the session at once; unban lets a new sign-in in; both audited with before/after", async () => {
    const s2 = await login("alice.smith@example.com", "alice-password-1");
    expect(await me(s2)).toBe(200);
    const ban = await api("POST", `/users/id:${alice.id}/ban`, { reason: "spam" });
    expect(ban.status).toBe(200);
    expect(await me(s2)).toBe(401);
    expect(ids((await api("GET", "/users?banned=true")).body)).toEqual([alice.id]);
    const unban = await api("POST", `/users/id:${alice.id}/unban`, {});
    expect(unban.body).toMatchObject({ banned: false });
    const d = JSON.parse(audits("user_ban")[0]?.details ?? "{}");
    expect(d).toMatchObject({ before: { banned_at: null }, after: { ban_reason: "spam" } });
    expect(d.ip).toMatch(/127\.0\.0\.1|::1/);
    alice.session = await login("alice.smith@example.com", "alice-password-1");
    expect(await me(alice.session)).toBe(200);
  });

  test("revoke: all sessions end and all keys stop working at once", async () => {
    const key = (await (
      await fetch(`${f.s.url}/api/auth/api-keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.session}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "second" }),
      })
    ).json()) as { key: string };
    const byKey = () =>
      fetch(`${f.s.url}/api/auth/me`, { headers: { "x-api-key": key.key } }).then((r) => r.status);
    expect(await byKey()).toBe(200);
    const s = await api("POST", `/users/${alice.id}/revoke`, { sessions: "all", reason: "lost laptop" });
    expect((s.body as { sessions_ended: number }).sessions_ended).toBeGreaterThanOrEqual(1);
    expect(await me(alice.session)).toBe(401);
    const k = await api("POST", `/users/${alice.id}/revoke`, { keys: "all", reason: "lost laptop" });
    expect(k.body).toEqual({ sessions_ended: 0, keys_revoked: 2 });
    expect(await byKey()).toBe(401);
    expect((await api("POST", `/users/${alice.id}/revoke`, { reason: "nothing named" })).status).toBe(400);
    expect(audits("user_revoke")).toHaveLength(2);
  });

  test("CSV export: parses, one row per user matching the filters, header first", async () => {
    const res = await fetch(`${f.s.url}/api/admin/users/export.csv?q=example.com`, {
      headers: f.as("admin"),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv(await res.text());
    const [head, ...body] = rows;
    expect(head?.slice(0, 5)).toEqual(["id", "email", "telegram_id", "username", "tier"]);
    const listed = (await api("GET", "/users?q=example.com&limit=200")).body;
    expect(body.length).toBe(listed.total as number);
    const aliceRow = body.find((r) => r[1] === "alice.smith@example.com");
    expect(aliceRow?.[0]).toBe(String(alice.id));
    expect(aliceRow?.[4]).toBe("pro");
    expect(aliceRow?.[8]).toBe("5");
    expect(new Date(aliceRow?.[10] ?? "").getTime()).toBeGreaterThan(0);
    expect(body.every((r) => r.length === head?.length)).toBe(true);
    const banned = parseCsv(
      await (
        await fetch(`${f.s.url}/api/admin/users/export.csv?banned=true`, { headers: f.as("admin") })
      ).text(),
    );
    expect(banned).toHaveLength(1);
  });

  test("delete: the account is anonymised, its files deleted, its ledger rows kept; a wrong confirm deletes nothing", async () => {
    const result = f.s.dbh.sqlite.query("select result_path from jobs where public_id = ?").get(jobId) as {
      result_path: string;
    };
    expect(existsSync(result.result_path)).toBe(true);
    const wrong = await api("POST", `/users/${alice.id}/delete`, { confirm: alice.id + 1, reason: "asked" });
    expect(wrong.status).toBe(400);
    expect(existsSync(result.result_path)).toBe(true);
    const del = await api("POST", `/users/${alice.id}/delete`, { confirm: alice.id, reason: "GDPR request" });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ files: expect.any(Number), user: { email: null, balance: 5 } });
    expect(existsSync(result.result_path)).toBe(false);
    expect(f.s.jobs.get(jobId)?.status).toBe("expired");
    const row = f.s.dbh.sqlite
      .query("select email, password_hash, deleted_at from users where id = ?")
      .get(alice.id) as Json;
    expect(row).toMatchObject({ email: null, password_hash: null });
    expect(row.deleted_at).toBeGreaterThan(0);
    expect(
      (
        f.s.dbh.sqlite.query("select count(*) as n from ledger where user_id = ?").get(alice.id) as {
          n: number;
        }
      ).n,
    ).toBe(2);
    const relogin = await fetch(`${f.s.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "alice.smith@example.com", password: "alice-password-1" }),
    });
    expect(relogin.status).toBe(401);
    expect((await api("GET", "/users?q=alice")).body.total).toBe(0);
    expect(ids((await api("GET", "/users?deleted=true")).body)).toEqual([alice.id]);
    const twice = await api("POST", `/users/${alice.id}/delete`, { confirm: alice.id, reason: "again" });
    expect(twice.status).toBe(409);
    const a = JSON.parse(audits("user_delete")[0]?.details ?? "{}");
    expect(a).toMatchObject({
      reason: "GDPR request",
      before: { had_email: true },
      after: { deleted_at: expect.any(Number) },
    });
    expect(JSON.stringify(a)).not.toContain("alice.smith");
  });
});
