// API keys over real HTTP on loopback with a real SQLite file and real ffmpeg: create (shown once, stored
// as SHA-256, tier rule, 10 active), list, revoke; a key (Bearer mm_… and X-API-Key) on every route kind
// — master, measure, the job's status, its download — as the same user a session is; a revoked, unknown
// or downgraded key is refused with its own code and leaves no file behind.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { SCHEMAS } from "../../../src/http/routes/openapi";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi, until } from "./harness";

let clock = Date.UTC(2026, 0, 1);
let h: Harness;
let fx: string;
let wav: string;

beforeAll(async () => {
  fx = await tempDir();
  wav = await makeMusic(fx, { durationS: 1 });
  // Billing on: keys are a tier feature (the seeded tiers: pro and studio).
  h = await startApi({ MM_BILLING: "on" }, { now: () => clock });
});
afterAll(async () => {
  await h.stop();
  await cleanup(fx);
});

type Json = Record<string, unknown>;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const setTier = (email: string, tier: string) =>
  // Test set-up: no API sets a tier yet (subscriptions and the tiers table will); the row is the truth.
  h.dbh.sqlite.run("update users set tier = ? where email = ?", [tier, email]);

/** Registers, optionally on a tier, and returns a session token and the user id. */
async function account(email: string, tier?: string): Promise<{ session: string; id: number }> {
  await post("/api/auth/register", { email, password: "key-password" });
  if (tier) setTier(email, tier);
  const res = await post("/api/auth/login", { email, password: "key-password" });
  expect(res.status).toBe(200);
  const b = (await res.json()) as { token: string; user: { id: number } };
  return { session: b.token, id: b.user.id };
}
async function newKey(session: string, name = "ci"): Promise<{ key: string; id: number }> {
  const res = await post("/api/auth/api-keys", { name }, bearer(session));
  expect(res.status).toBe(201);
  const b = (await res.json()) as { key: string; id: number };
  SCHEMAS.ApiKeyCreated.parse(b);
  return b;
}
const me = (headers: Record<string, string>) => fetch(`${h.url}/api/auth/me`, { headers });
const upload = async (path: string, headers: Record<string, string>) =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers,
    body: await form([{ name: "take.wav", data: wav }]),
  });

describe("creating keys", () => {
  test("a free account is refused (403 tier_forbids_api_keys, in its language); nothing is stored", async () => {
    const { session, id } = await account("free-key@example.com");
    const res = await post("/api/auth/api-keys", {}, { ...bearer(session), "accept-language": "ru" });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("tier_forbids_api_keys");
    expect(body.error.message).toBe("Ваш тариф (free) не включает API-ключи.");
    expect(h.keys.listActive(id)).toEqual([]);
  });

  test("with MM_BILLING=off (the self-hosted tool, no tiers enforced) a free account may create keys", async () => {
    const off = await startApi({}, { start: false });
    try {
      await fetch(`${off.url}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "off@example.com", password: "key-password" }),
      });
      const login = await fetch(`${off.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "off@example.com", password: "key-password" }),
      });
      const { token } = (await login.json()) as { token: string };
      const res = await fetch(`${off.url}/api/auth/api-keys`, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(token) },
        body: "{}",
      });
      expect(res.status).toBe(201);
      const { key } = (await res.json()) as { key: string };
      expect((await fetch(`${off.url}/api/auth/me`, { headers: { "x-api-key": key } })).status).toBe(200);
    } finally {
      await off.stop();
    }
  });

  test("pro: mm_ + 32 random bytes, shown once, stored only as its SHA-256; the list shows a prefix", async () => {
    const { session, id } = await account("pro-key@example.com", "pro");
    const { key, id: keyId } = await newKey(session, "laptop");
    expect(key).toMatch(/^mm_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(3), "base64url")).toHaveLength(32);
    const row = h.dbh.sqlite.query("select * from api_keys where id = ?").get(keyId) as Json;
    expect(row.key_hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(Object.values(row)).not.toContain(key);
    const list = await fetch(`${h.url}/api/auth/api-keys`, { headers: bearer(session) });
    const body = SCHEMAS.ApiKeyList.parse(await list.json());
    expect(body.limit).toBe(10);
    expect(body.keys).toEqual([
      { id: keyId, name: "laptop", prefix: key.slice(0, 9), created_at: clock, last_used_at: null },
    ]);
    expect(JSON.stringify(body)).not.toContain(key);
    // A second key is a different secret.
    expect((await newKey(session)).key).not.toBe(key);
    expect(h.keys.listActive(id)).toHaveLength(2);
  });

  test("the 11th active key is refused (409 api_key_limit); revoking one makes room", async () => {
    const { session } = await account("many-keys@example.com", "studio");
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await newKey(session, `k${i}`)).id);
    const eleventh = await post("/api/auth/api-keys", { name: "k10" }, bearer(session));
    expect(eleventh.status).toBe(409);
    expect(await codeOf(eleventh)).toBe("api_key_limit");
    const del = await fetch(`${h.url}/api/auth/api-keys/${ids[0]}`, {
      method: "DELETE",
      headers: bearer(session),
    });
    expect(del.status).toBe(200);
    await newKey(session, "k10");
    expect((await post("/api/auth/api-keys", {}, bearer(session))).status).toBe(409);
  });

  test("a key cannot create or revoke keys (a session only); it may list them", async () => {
    const { session } = await account("key-mints@example.com", "pro");
    const { key, id } = await newKey(session);
    const mint = await post("/api/auth/api-keys", {}, bearer(key));
    expect(mint.status).toBe(401);
    expect(await codeOf(mint)).toBe("session_required");
    const revoke = await fetch(`${h.url}/api/auth/api-keys/${id}`, {
      method: "DELETE",
      headers: bearer(key),
    });
    expect(revoke.status).toBe(401);
    expect((await fetch(`${h.url}/api/auth/api-keys`, { headers: { "x-api-key": key } })).status).toBe(200);
  });
});

describe("a key on every route kind", () => {
  test("me, master, job status, download and measure work with the key as that user, via api", async () => {
    const { session, id } = await account("routes-key@example.com", "pro");
    h.ledger.credit(id, 5, { note: "test top-up", actor: "cli" }); // billing is on: pro pays a token a master
    const { key } = await newKey(session);
    const other = await newKey((await account("other-key@example.com", "pro")).session);

    for (const headers of [bearer(key), { "x-api-key": key }]) {
      const m = await me(headers);
      expect(m.status).toBe(200);
      expect(((await m.json()) as { id: number }).id).toBe(id);
    }
    const row = () =>
      h.dbh.sqlite.query("select last_used_at from api_keys where user_id = ?").get(id) as Json;
    expect(row().last_used_at).toBe(clock);

    const sub = await upload("/api/v2/master", bearer(key));
    expect(sub.status).toBe(202);
    const { id: jobId } = (await sub.json()) as { id: string };
    const job = h.jobs.get(jobId);
    expect(job).toMatchObject({ owner_key: `user:${id}`, user_id: id, source: "api" });

    // The owner's key needs no job token; another user's key does.
    const status = await fetch(`${h.url}/api/jobs/${jobId}`, { headers: { "x-api-key": key } });
    expect(status.status).toBe(200);
    const foreign = await fetch(`${h.url}/api/jobs/${jobId}`, { headers: bearer(other.key) });
    expect(foreign.status).toBe(403);
    expect(await codeOf(foreign)).toBe("invalid_job_token");
    // The session of the same user reads it too (one account, two credentials).
    expect((await fetch(`${h.url}/api/jobs/${jobId}`, { headers: bearer(session) })).status).toBe(200);

    await until(
      "job done",
      () => h.jobs.get(jobId)?.status,
      (st) => st === "done",
      120_000,
    );
    const dl = await fetch(`${h.url}/api/jobs/${jobId}/result`, { headers: bearer(key) });
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-type")).toStartWith("audio/");
    expect((await dl.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await fetch(`${h.url}/api/jobs/${jobId}/result`, { headers: bearer(other.key) })).status).toBe(
      403,
    );

    const measured = await upload("/api/measure", { "x-api-key": key });
    expect(measured.status).toBe(200);
    const mb = (await measured.json()) as { id: string; analysis: { integrated_lufs: number } };
    expect(typeof mb.analysis.integrated_lufs).toBe("number");
    expect(h.jobs.get(mb.id)).toMatchObject({ user_id: id, source: "api", kind: "measure" });
  }, 180_000);
});

describe("refused keys", () => {
  test("a revoked key stops at once (401 invalid_api_key), on an upload route too, leaving no file", async () => {
    const { session } = await account("revoked-key@example.com", "pro");
    const { key, id } = await newKey(session);
    expect((await me(bearer(key))).status).toBe(200);
    const del = await fetch(`${h.url}/api/auth/api-keys/${id}`, {
      method: "DELETE",
      headers: bearer(session),
    });
    expect(del.status).toBe(200);
    const after = await me(bearer(key));
    expect(after.status).toBe(401);
    expect(await codeOf(after)).toBe("invalid_api_key");
    const before = h.files().length;
    const sub = await upload("/api/v2/master", { "x-api-key": key, "accept-language": "ru" });
    expect(sub.status).toBe(401);
    expect(((await sub.json()) as { error: { message: string } }).error.message).toBe(
      "Неизвестный или отозванный API-ключ.",
    );
    expect(h.files()).toHaveLength(before);
    // Revoking twice, or another user's key, is a 404.
    const again = await fetch(`${h.url}/api/auth/api-keys/${id}`, {
      method: "DELETE",
      headers: bearer(session),
    });
    expect(again.status).toBe(404);
    expect(await codeOf(again)).toBe("api_key_not_found");
  });

  test("an unknown key never falls back to guest: 401 on every route", async () => {
    const forged = `mm_${Buffer.alloc(32, 7).toString("base64url")}`;
    expect((await me(bearer(forged))).status).toBe(401);
    expect((await fetch(`${h.url}/api/styles`, { headers: { "x-api-key": "nonsense" } })).status).toBe(401);
    expect((await upload("/api/v2/master", bearer(forged))).status).toBe(401);
  });

  test("a downgrade to free stops the key (403 tier_forbids_api_keys); back on pro it works again", async () => {
    const { session } = await account("downgrade-key@example.com", "pro");
    const { key } = await newKey(session);
    setTier("downgrade-key@example.com", "free");
    const res = await me(bearer(key));
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("tier_forbids_api_keys");
    setTier("downgrade-key@example.com", "pro");
    expect((await me(bearer(key))).status).toBe(200);
  });

  test("last use is written at most once a minute", async () => {
    const { session, id } = await account("touch-key@example.com", "pro");
    const { key } = await newKey(session);
    const used = () => h.keys.listActive(id)[0]?.lastUsedAt;
    const t0 = clock;
    await me(bearer(key));
    expect(used()).toBe(t0);
    clock = t0 + 30_000;
    await me(bearer(key));
    expect(used()).toBe(t0);
    clock = t0 + 61_000;
    await me(bearer(key));
    expect(used()).toBe(t0 + 61_000);
    clock = t0;
  });
});
