// Every tier limit at its boundary over real HTTP (loopback), with MM_BILLING=on, the real ledger charging
// through the tiers seam and real upload validation (ffprobe): guest (per client IP, persisted), free and
// pro (session Bearer and an API key), single master, batch (all or nothing), preview and measure. A refusal is a precise
// 4xx with resets_at, in the caller's language; nothing is charged and no file is left for it.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { periodBounds } from "../../../src/accounts";
import { type DbHandle, openDb } from "../../../src/db";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi } from "./harness";

const ENV = {
  MM_BILLING: "on",
  MM_TRUSTED_PROXIES: "127.0.0.1",
  MM_MAX_QUEUED_PER_OWNER: "50",
};

let h: Harness;
let db: DbHandle;
let src: string;
let wav: string;
let bigWav: string;

type Err = { error: { code: string; message: string; resets_at?: number }; detail: string };

const uploads = () => h.files().filter((f) => f.includes("/uploads/"));
const charges = () =>
  db.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM ledger WHERE reason = 'charge'").get()?.n ??
  0;
const jobRows = () => db.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM jobs").get()?.n ?? 0;

async function post(
  path: string,
  o: { ip?: string; auth?: string; fields?: Record<string, string>; files?: string[]; lang?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": o.ip ?? "203.0.113.1" };
  if (o.auth) headers.authorization = `Bearer ${o.auth}`;
  if (o.lang) headers["accept-language"] = o.lang;
  const field = path.endsWith("/batch") ? "files" : "file";
  const body = await form(
    (o.files ?? [wav]).map((data, i) => ({ field, name: `take${i}.wav`, data })),
    o.fields ?? {},
  );
  return fetch(`${h.url}${path}`, { method: "POST", headers, body });
}

async function limits(o: { ip?: string; auth?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": o.ip ?? "203.0.113.1" };
  if (o.auth) headers.authorization = `Bearer ${o.auth}`;
  const res = await fetch(`${h.url}/api/limits`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    tier: string;
    remaining: number | null;
    masters: { used: number; remaining: number | null; resets_at: number | null };
    daily: { used: number; remaining: number | null };
    tokens: { balance: number | null };
  };
}

async function refused(res: Response, status: number, code: string): Promise<Err> {
  const body = (await res.json()) as Err;
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  return body;
}

/** A signed-in user of `tier` with `tokens`; returns the session token. */
async function user(email: string, tier: string, tokens = 0): Promise<{ token: string; id: number }> {
  const json = (path: string, body: unknown) =>
    fetch(`${h.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await json("/api/auth/register", { email, password: "tier-test-password" });
  const { token, user: me } = (await (
    await json("/api/auth/login", { email, password: "tier-test-password" })
  ).json()) as { token: string; user: { id: number } };
  db.sqlite.run("UPDATE users SET tier = ?1 WHERE id = ?2", [tier, me.id]); // set-up: a paid tier
  if (tokens > 0) h.ledger.credit(me.id, tokens, { note: "test", actor: "cli" });
  return { token, id: me.id };
}

beforeAll(async () => {
  src = await tempDir("mm-limits-src-");
  wav = await makeMusic(src, { durationS: 1 });
  bigWav = await makeMusic(src, { durationS: 8, name: "big.wav" }); // ≈ 2 MB of 24-bit stereo
  h = await startApi(ENV, { start: false, ledgerBilling: true, measureWaitMs: 50 });
  db = openDb(h.layout.db);
});
afterAll(async () => {
  db.sqlite.close();
  await h.stop();
  await cleanup(src);
  await cleanup(h.dir);
});

describe("guest (per client IP)", () => {
  it("one master a week: the second is 429 limit_reached with resets_at, RU text, nothing left", async () => {
    const ip = "198.51.100.7";
    expect((await limits({ ip })).remaining).toBe(1);
    expect((await post("/api/v2/master", { ip })).status).toBe(202);
    const files = uploads().length;
    const rows = jobRows();
    const res = await post("/api/v2/master", { ip, lang: "ru" });
    const body = await refused(res, 429, "limit_reached");
    const monday = periodBounds("week", Date.now()).resetsAt;
    expect(body.error.resets_at).toBe(monday);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body.error.message).toContain("Лимит тарифа guest исчерпан");
    expect(uploads().length).toBe(files);
    expect(jobRows()).toBe(rows);
    expect((await limits({ ip })).masters).toMatchObject({ used: 1, remaining: 0, resets_at: monday });
    // Another address is another guest.
    expect((await post("/api/v2/master", { ip: "198.51.100.8" })).status).toBe(202);
  });

  it("previews and measurements are not counted; the tier's style, format and batch rules hold", async () => {
    const ip = "198.51.100.9";
    expect((await post("/api/v2/master", { ip })).status).toBe(202);
    expect((await post("/api/v2/preview", { ip })).status).toBe(202);
    expect([200, 202]).toContain((await post("/api/measure", { ip })).status);
    const files = uploads().length;
    await refused(await post("/api/v2/preview", { ip, fields: { style: "edm" } }), 403, "tier_forbids_style");
    await refused(
      await post("/api/v2/preview", { ip, fields: { format: "mp3" } }),
      403,
      "tier_forbids_format",
    );
    await refused(await post("/api/v2/batch", { ip: "198.51.100.10" }), 403, "tier_forbids_batch");
    expect(uploads().length).toBe(files);
  });

  it("the tier's upload cap is upload_too_large_for_tier (413), file removed", async () => {
    h.tiers.set("guest", ["upload_max_mb=1"], "test");
    try {
      const files = uploads().length;
      const body = await refused(
        await post("/api/v2/master", { ip: "198.51.100.11", files: [bigWav] }),
        413,
        "upload_too_large_for_tier",
      );
      expect(body.error.message).toContain("1 MB");
      expect(uploads().length).toBe(files);
    } finally {
      h.tiers.set("guest", ["upload_max_mb=100"], "test");
    }
  });
});

describe("free (session)", () => {
  it("one master a week per account, whatever the address; no batch", async () => {
    const { token } = await user("free@example.com", "free");
    expect((await post("/api/v2/master", { auth: token, ip: "192.0.2.1" })).status).toBe(202);
    await refused(await post("/api/v2/master", { auth: token, ip: "192.0.2.2" }), 429, "limit_reached");
    await refused(await post("/api/v2/batch", { auth: token }), 403, "tier_forbids_batch");
    expect(await limits({ auth: token })).toMatchObject({ tier: "free", remaining: 0 });
    expect(charges()).toBe(0);
  });
});

describe("pro (API key, tokens)", () => {
  it("a key is held to its owner's tier: the last token pays, the next master and a batch are refused whole", async () => {
    const { token, id } = await user("pro-key@example.com", "pro", 1);
    const made = await fetch(`${h.url}/api/auth/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "limits" }),
    });
    expect(made.status).toBe(201);
    const { key } = (await made.json()) as { key: string };
    // Another address does not reset anything: the key counts for the account, never as a guest.
    expect((await post("/api/v2/master", { auth: key, ip: "192.0.2.50" })).status).toBe(202);
    expect(h.ledger.balance(id)).toBe(0);
    const rows = jobRows();
    const files = uploads().length;
    const before = charges();
    const body = await refused(
      await post("/api/v2/master", { auth: key, ip: "192.0.2.51", lang: "ru" }),
      403,
      "insufficient_tokens",
    );
    expect(body.error.message).toMatch(/[А-Яа-я]/);
    await refused(await post("/api/v2/batch", { auth: key, files: [wav, wav] }), 403, "insufficient_tokens");
    expect({
      rows: jobRows(),
      files: uploads().length,
      charges: charges(),
      balance: h.ledger.balance(id),
    }).toEqual({
      rows,
      files,
      charges: before,
      balance: 0,
    });
    expect(await limits({ auth: key })).toMatchObject({ tier: "pro", tokens: { balance: 0 } });
  });
});

describe("pro (session, tokens)", () => {
  it("a batch the balance cannot pay is refused whole: no job, no charge, no file", async () => {
    const { token, id } = await user("pro1@example.com", "pro", 2);
    const rows = jobRows();
    const files = uploads().length;
    const body = await refused(
      await post("/api/v2/batch", { auth: token, files: [wav, wav, wav] }),
      403,
      "insufficient_tokens",
    );
    expect(body.error.message).toContain("3");
    expect({ rows: jobRows(), files: uploads().length, balance: h.ledger.balance(id) }).toEqual({
      rows,
      files,
      balance: 2,
    });
    expect((await post("/api/v2/batch", { auth: token, files: [wav, wav] })).status).toBe(202);
    expect(h.ledger.balance(id)).toBe(0);
    await refused(await post("/api/v2/master", { auth: token }), 403, "insufficient_tokens");
  });

  it("10 masters a day (a batch of 10), the 11th is 429 daily_limit_reached at the next UTC midnight", async () => {
    const { token, id } = await user("pro2@example.com", "pro", 20);
    const ten = Array.from({ length: 10 }, () => wav);
    expect((await post("/api/v2/batch", { auth: token, files: ten })).status).toBe(202);
    const before = charges();
    const body = await refused(await post("/api/v2/master", { auth: token }), 429, "daily_limit_reached");
    expect(body.error.resets_at).toBe(periodBounds("day", Date.now()).resetsAt);
    expect(charges()).toBe(before);
    expect(h.ledger.balance(id)).toBe(10);
    expect(await limits({ auth: token })).toMatchObject({
      tier: "pro",
      remaining: 0,
      daily: { used: 10, remaining: 0 },
      tokens: { balance: 10 },
    });
  });

  it("a batch larger than the tier's batch_max is batch_too_large_for_tier, whole", async () => {
    const { token, id } = await user("pro3@example.com", "pro", 5);
    h.tiers.set("pro", ["batch_max=2"], "test");
    try {
      const rows = jobRows();
      await refused(
        await post("/api/v2/batch", { auth: token, files: [wav, wav, wav] }),
        403,
        "batch_too_large_for_tier",
      );
      expect({ rows: jobRows(), balance: h.ledger.balance(id) }).toEqual({ rows, balance: 5 });
    } finally {
      h.tiers.set("pro", ["batch_max=10"], "test");
    }
  });
});

describe("persistence", () => {
  it("a guest's used week survives a restart on the same database and the jobs retention purge", async () => {
    const ip = "198.51.100.50";
    expect((await post("/api/v2/master", { ip })).status).toBe(202);
    db.sqlite.run("DELETE FROM jobs"); // what retention does to old rows, all at once
    const dir = h.dir;
    await h.stop();
    h = await startApi(ENV, { start: false, ledgerBilling: true, dir });
    await refused(await post("/api/v2/master", { ip }), 429, "limit_reached");
  });
});
