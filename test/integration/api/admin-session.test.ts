// MM_ADMIN_EMAIL and the admin HTTP routes on the real service (real SQLite file, HTTP on loopback): the
// first start creates the admin with a one-time password printed once; is_admin sessions pass
// /api/admin/*, other sessions get the unknown-route 404, MM_ADMIN_TOKEN still works; an existing account of that address
// is promoted with a fresh password and loses its sessions. (Restart without a second print or a reset:
// test/e2e/admin-mail.test.ts on the compiled binary.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { cleanup, tempDir } from "../../fixtures/audio";

const TOKEN = "operator-token-for-admin-session-test";
const ADMIN = "boss@example.com";

type Line = Record<string, unknown>;
async function start(dir: string, env: Record<string, string>) {
  const lines: Line[] = [];
  const config = loadConfig({
    PORT: "0",
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    ...env,
  });
  const s = await startService(
    config,
    createLogger("info", (l) => lines.push(JSON.parse(l))),
  );
  return { s, lines };
}
const post = (s: RunningService, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
async function session(s: RunningService, email: string, password: string): Promise<string> {
  const res = await post(s, "/api/auth/login", { email, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}
const secretOf = (lines: Line[]) =>
  lines.filter((l) => l.event === "admin_created").map((l) => String(l.initial_credential));

describe("MM_ADMIN_EMAIL and admin sessions", () => {
  let dir: string;
  let s: RunningService;
  let lines: Line[];
  beforeAll(async () => {
    dir = await tempDir("mm-admin-");
    ({ s, lines } = await start(dir, { MM_ADMIN_EMAIL: ADMIN, MM_ADMIN_TOKEN: TOKEN }));
  });
  afterAll(async () => {
    await s.stop();
    await cleanup(dir);
  });

  test("the first start prints one random one-time password; it signs in an admin", async () => {
    const secrets = secretOf(lines);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const token = await session(s, ADMIN, secrets[0] ?? "");
    const me = (await (
      await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { is_admin: boolean; email_verified: boolean };
    expect(me).toMatchObject({ is_admin: true, email_verified: true });
    expect(
      s.dbh.sqlite.query("SELECT actor, action, target FROM audit_log WHERE action LIKE 'admin_%'").all(),
    ).toEqual([{ actor: "config", action: "admin_created", target: ADMIN }]);
  });

  test("an admin session passes the admin routes, by Bearer and by cookie + Origin", async () => {
    const token = await session(s, ADMIN, secretOf(lines)[0] ?? "");
    const stats = await fetch(`${s.url}/api/admin/stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(stats.status).toBe(200);
    const on = await post(
      s,
      "/api/admin/maintenance",
      { on: false },
      { cookie: `mm_session=${token}`, origin: s.url },
    );
    expect(on.status).toBe(200);
    // A cookie without an Origin changes nothing (CSRF), admin or not.
    const noOrigin = await post(s, "/api/admin/maintenance", { on: true }, { cookie: `mm_session=${token}` });
    expect(noOrigin.status).toBe(403);
    expect(s.settings.isMaintenance()).toBe(false);
  });

  test("a non-admin session gets the unknown route's 404 in its language; the operator token still works", async () => {
    await post(s, "/api/auth/register", { email: "plain@example.com", password: "plain-password" });
    const token = await session(s, "plain@example.com", "plain-password");
    const res = await fetch(`${s.url}/api/admin/stats`, {
      headers: { authorization: `Bearer ${token}`, "accept-language": "ru" },
    });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error).toEqual({ code: "not_found", message: "Не найдено: /api/admin/stats" });
    expect(
      (await fetch(`${s.url}/api/admin/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    expect((await fetch(`${s.url}/api/admin/stats`)).status).toBe(404);
  });
});

describe("without MM_ADMIN_TOKEN", () => {
  test("anonymous callers get 404 as before; an admin session still passes; an existing account is promoted with a new password and loses its sessions", async () => {
    const dir = await tempDir("mm-admin-");
    try {
      // First start: an ordinary account of the address, signed in.
      const first = await start(dir, {});
      await post(first.s, "/api/auth/register", { email: ADMIN, password: "squatter-password" });
      const old = await session(first.s, ADMIN, "squatter-password");
      expect(secretOf(first.lines)).toEqual([]);
      await first.s.stop();

      const second = await start(dir, { MM_ADMIN_EMAIL: ADMIN });
      try {
        const secrets = secretOf(second.lines);
        expect(secrets).toHaveLength(1);
        expect(second.lines.find((l) => l.event === "admin_created")?.result).toBe("promoted");
        expect(
          (await fetch(`${second.s.url}/api/auth/me`, { headers: { authorization: `Bearer ${old}` } }))
            .status,
        ).toBe(401);
        expect(
          (await post(second.s, "/api/auth/login", { email: ADMIN, password: "squatter-password" })).status,
        ).toBe(401);
        const token = await session(second.s, ADMIN, secrets[0] ?? "");
        expect((await fetch(`${second.s.url}/api/admin/stats`)).status).toBe(404);
        expect(
          (await fetch(`${second.s.url}/api/admin/stats`, { headers: { authorization: `Bearer ${token}` } }))
            .status,
        ).toBe(200);
      } finally {
        await second.s.stop();
      }
    } finally {
      await cleanup(dir);
    }
  });
});
