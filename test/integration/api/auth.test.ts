// Sign-in over real HTTP on loopback with a real SQLite file: register, login, me, logout, change-password,
// expiry (injected clock), ban mid-session, CSRF (cookie + Origin), no enumeration, attempt limits.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startApi } from "./harness";

let clock = Date.UTC(2026, 0, 1);
let h: Harness;
const ORIGIN = () => h.url;

beforeAll(async () => {
  h = await startApi(
    {},
    {
      start: false,
      now: () => clock,
      authLimits: { perIp: { max: 1000, windowMs: 600_000 }, perAccount: { max: 3, windowMs: 900_000 } },
    },
  );
});
afterAll(() => h.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const me = (headers: Record<string, string>) => fetch(`${h.url}/api/auth/me`, { headers });
const cookieOf = (res: Response) => /mm_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function login(email: string, password: string) {
  const res = await post("/api/auth/login", { email, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("register", () => {
  test("a new e-mail creates the account, lower-cased, and signs in with an HttpOnly Lax cookie", async () => {
    const res = await post("/api/auth/register", { email: "  Ann@Example.COM ", password: "correct horse" });
    expect(res.status).toBe(202);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    const m = await me({ cookie: `mm_session=${cookieOf(res)}` });
    expect(m.status).toBe(200);
    expect(await m.json()).toEqual({
      id: expect.any(Number),
      email: "ann@example.com",
      tier: "free",
      tier_expires_at: null,
      balance: 0,
      is_admin: false,
      telegram_linked: false,
      email_verified: false,
    });
  });

  test("me shows the ledger balance", async () => {
    const res = await post("/api/auth/register", { email: "bal@example.com", password: "bal-password" });
    const cookie = { cookie: `mm_session=${cookieOf(res)}` };
    const { id } = (await (await me(cookie)).json()) as { id: number };
    h.ledger.credit(id, 7, { note: "test top-up", actor: "cli" });
    expect(((await (await me(cookie)).json()) as { balance: number }).balance).toBe(7);
  });

  test("the cookie is Secure when MM_PUBLIC_URL is https", async () => {
    const s = await startApi({ MM_PUBLIC_URL: "https://mm.example" }, { start: false });
    try {
      const res = await fetch(`${s.url}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "sec@example.com", password: "sec-password" }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get("set-cookie")).toContain("Secure");
    } finally {
      await s.stop();
    }
  });

  test("a known e-mail answers the same status and body, without a session, and keeps the password", async () => {
    const fresh = await post("/api/auth/register", { email: "bob@example.com", password: "password-1" });
    const known = await post("/api/auth/register", { email: "BOB@example.com", password: "attacker-pw" });
    expect(known.status).toBe(fresh.status);
    expect(await known.json()).toEqual(await fresh.json());
    expect(known.headers.get("set-cookie")).toBeNull();
    await login("bob@example.com", "password-1");
    expect(
      (await post("/api/auth/login", { email: "bob@example.com", password: "attacker-pw" })).status,
    ).toBe(401);
  });

  test("a short password or a bad e-mail is a 400 in the caller's language", async () => {
    const short = await post(
      "/api/auth/register",
      { email: "c@example.com", password: "1234567" },
      { "accept-language": "ru" },
    );
    expect(short.status).toBe(400);
    const body = (await short.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toStartWith("Некорректный запрос");
    expect((await post("/api/auth/register", { email: "not-an-email", password: "12345678" })).status).toBe(
      400,
    );
  });
});

describe("login", () => {
  test("wrong password and unknown e-mail answer the same status and body", async () => {
    await post("/api/auth/register", { email: "dan@example.com", password: "dan-password" });
    const wrong = await post("/api/auth/login", { email: "dan@example.com", password: "nope-nope" });
    const unknown = await post("/api/auth/login", { email: "nobody@example.com", password: "nope-nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  test("the session works as a Bearer token and as the cookie; no session is a 401", async () => {
    const token = await login("dan@example.com", "dan-password");
    expect((await me(bearer(token))).status).toBe(200);
    expect((await me({ cookie: `mm_session=${token}` })).status).toBe(200);
    const anon = await me({});
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe("session_required");
    expect((await me(bearer("forged-token-forged-token"))).status).toBe(401);
  });

  test("a session ends at its expiry (MM_SESSION_DAYS, default 30)", async () => {
    const token = await login("dan@example.com", "dan-password");
    const start = clock;
    clock = start + 30 * 86_400_000 - 1;
    expect((await me(bearer(token))).status).toBe(200);
    clock = start + 30 * 86_400_000;
    expect((await me(bearer(token))).status).toBe(401);
    clock = start;
  });
});

describe("ending sessions at once", () => {
  test("logout ends the session it was sent with, and only that one", async () => {
    await post("/api/auth/register", { email: "eve@example.com", password: "eve-password" });
    const a = await login("eve@example.com", "eve-password");
    const b = await login("eve@example.com", "eve-password");
    const out = await post("/api/auth/logout", {}, bearer(a));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("mm_session=;");
    expect((await me(bearer(a))).status).toBe(401);
    expect((await me(bearer(b))).status).toBe(200);
  });

  test("change-password checks the current one, ends the other sessions, keeps this one", async () => {
    await post("/api/auth/register", { email: "fay@example.com", password: "fay-password" });
    const a = await login("fay@example.com", "fay-password");
    const b = await login("fay@example.com", "fay-password");
    const bad = await post(
      "/api/auth/change-password",
      { current_password: "wrong-one", new_password: "new-password" },
      bearer(a),
    );
    expect(bad.status).toBe(401);
    const ok = await post(
      "/api/auth/change-password",
      { current_password: "fay-password", new_password: "new-password" },
      bearer(a),
    );
    expect(ok.status).toBe(200);
    expect((await me(bearer(a))).status).toBe(200);
    expect((await me(bearer(b))).status).toBe(401);
    expect(
      (await post("/api/auth/login", { email: "fay@example.com", password: "fay-password" })).status,
    ).toBe(401);
    await login("fay@example.com", "new-password");
  });

  test("a ban ends a live session on the next request and refuses login; unban restores login, not the session", async () => {
    await post("/api/auth/register", { email: "gus@example.com", password: "gus-password" });
    const token = await login("gus@example.com", "gus-password");
    expect((await me(bearer(token))).status).toBe(200);
    h.accounts.ban("gus@example.com", "spam", "cli");
    expect((await me(bearer(token))).status).toBe(401);
    expect(
      (await post("/api/auth/login", { email: "gus@example.com", password: "gus-password" })).status,
    ).toBe(401);
    h.accounts.unban("gus@example.com", "cli");
    // The ban ended the session for good: the unban restores signing in, not the old token.
    expect((await me(bearer(token))).status).toBe(401);
    await login("gus@example.com", "gus-password");
  });
});

describe("CSRF", () => {
  test("a cookie request from a foreign Origin is refused; the same Origin passes", async () => {
    await post("/api/auth/register", { email: "hal@example.com", password: "hal-password" });
    const token = await login("hal@example.com", "hal-password");
    const cookie = { cookie: `mm_session=${token}` };
    const change = { current_password: "hal-password", new_password: "hal-password-2" };
    const foreign = await post("/api/auth/change-password", change, {
      ...cookie,
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    const noOrigin = await post("/api/auth/change-password", change, cookie);
    expect(noOrigin.status).toBe(403);
    expect(((await noOrigin.json()) as { error: { code: string } }).error.code).toBe("origin_required");
    expect((await post("/api/auth/change-password", change, { ...cookie, origin: ORIGIN() })).status).toBe(
      200,
    );
  });

  test("a Bearer request without Origin is allowed", async () => {
    const token = await login("hal@example.com", "hal-password-2");
    expect((await post("/api/auth/logout", {}, bearer(token))).status).toBe(200);
  });
});

describe("attempt limits", () => {
  test("per account: the limit-th failure is a 401, the next try a 429 with Retry-After, even with the right password", async () => {
    await post("/api/auth/register", { email: "ivy@example.com", password: "ivy-password" });
    for (let i = 0; i < 3; i++)
      expect(
        (await post("/api/auth/login", { email: "ivy@example.com", password: "wrong-pass" })).status,
      ).toBe(401);
    const limited = await post("/api/auth/login", { email: "ivy@example.com", password: "ivy-password" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("too_many_attempts");
    // An unknown e-mail is limited the same way (no enumeration through the limit either).
    for (let i = 0; i < 3; i++) await post("/api/auth/login", { email: "ghost@example.com", password: "x" });
    expect((await post("/api/auth/login", { email: "ghost@example.com", password: "x" })).status).toBe(429);
    clock += 900_000;
    await login("ivy@example.com", "ivy-password");
  });

  test("per IP: the max-th attempt passes, the next is a 429", async () => {
    const ip = await startApi(
      {},
      {
        start: false,
        authLimits: { perIp: { max: 2, windowMs: 600_000 }, perAccount: { max: 100, windowMs: 600_000 } },
      },
    );
    try {
      const at = (email: string) =>
        fetch(`${ip.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password: "whatever-pw" }),
        });
      expect((await at("a@example.com")).status).toBe(401);
      expect((await at("b@example.com")).status).toBe(401);
      const third = await at("c@example.com");
      expect(third.status).toBe(429);
      expect(third.headers.get("retry-after")).toBe("600");
    } finally {
      await ip.stop();
    }
  });
});
