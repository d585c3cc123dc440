// Admin HTTP on the real app (app.request, real SQLite, real files): the token matrix, the streamed
// backup, stats and the maintenance switch.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recentAudit } from "../../../src/db";
import { setup, stopAll, TOKEN } from "./setup";

afterAll(stopAll);

type Row = { name: string; token?: string | null; auth?: string; status: number };

describe("admin routes: authentication", () => {
  const env = setup();
  // Every refusal is the answer of an unknown route (404 not_found): nothing says the route exists.
  const table: Row[] = [
    { name: "no Authorization header", status: 404 },
    { name: "empty bearer", auth: "Bearer ", status: 404 },
    { name: "wrong token of the same length", token: TOKEN.replace(/.$/, "X"), status: 404 },
    { name: "a prefix of the token", token: TOKEN.slice(0, 10), status: 404 },
    { name: "the token with a suffix", token: `${TOKEN}x`, status: 404 },
    { name: "Basic scheme with the token", auth: `Basic ${TOKEN}`, status: 404 },
    { name: "token without scheme", auth: TOKEN, status: 404 },
    { name: "correct token", token: TOKEN, status: 200 },
    { name: "lower-case scheme", auth: `bearer ${TOKEN}`, status: 200 },
  ];
  for (const path of ["/api/admin/stats", "/api/admin/backup/db"]) {
    for (const row of table) {
      it(`GET ${path} with ${row.name} answers ${row.status}`, async () => {
        const auth = row.auth ?? (row.token ? `Bearer ${row.token}` : undefined);
        const res = await env.app.request(path, { headers: auth ? { Authorization: auth } : {} });
        expect(res.status).toBe(row.status);
        if (row.status === 404) {
          expect(res.headers.get("WWW-Authenticate")).toBeNull();
          const body = await res.text();
          const unknown = await env.app.request(path.replace(/\/[a-z]+$/, "/no-such-route"));
          const expected = ((await unknown.json()) as { error: { message: string } }).error.message;
          expect(JSON.parse(body).error).toEqual({
            code: "not_found",
            message: expected.replace("/no-such-route", path.slice(path.lastIndexOf("/"))),
          });
          expect(body).not.toContain(TOKEN.slice(0, 10));
        } else await res.arrayBuffer();
      });
    }
  }

  it("POST /api/admin/maintenance without a token is 404 and changes nothing", async () => {
    const res = await env.app.request("/api/admin/maintenance", {
      method: "POST",
      body: JSON.stringify({ on: true }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(404);
    expect(env.settings.isMaintenance()).toBe(false);
  });

  it("answers 404, as if absent, when MM_ADMIN_TOKEN is not configured", async () => {
    const off = setup({ MM_ADMIN_TOKEN: "" });
    for (const [method, path] of [
      ["GET", "/api/admin/stats"],
      ["GET", "/api/admin/backup/db"],
      ["POST", "/api/admin/maintenance"],
    ] as const) {
      const res = await off.app.request(path, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });
});

describe("GET /api/admin/backup/db", () => {
  it("streams a fresh, integrity-checked SQLite copy and leaves no temp file behind", async () => {
    const env = setup();
    env.settings.setFlag("marker_flag", true, "cli");
    const res = await env.app.request("/api/admin/backup/db", {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(
      /attachment; filename="magic-master-backup-.*Z-\d{2}\.db"/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get("Content-Length"))).toBe(bytes.length);
    const file = join(mkdtempSync(join(tmpdir(), "mm-dl-")), "copy.db");
    writeFileSync(file, bytes);
    const copy = new Database(file, { readonly: true });
    expect(copy.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(copy.query("SELECT value FROM settings WHERE key = 'flag:marker_flag'").get()).toEqual({
      value: "true",
    });
    copy.close();
    expect(readdirSync(env.layout.work)).toEqual([]);
    expect(recentAudit(env.dbh.db, 1)[0]).toMatchObject({ actor: "http:admin", action: "backup_download" });
  });
});

describe("GET /api/admin/stats and POST /api/admin/maintenance", () => {
  const env = setup();
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const post = (body: string) =>
    env.app.request("/api/admin/maintenance", {
      method: "POST",
      body,
      headers: { ...auth, "Content-Type": "application/json" },
    });

  it("returns live counts, flags, maintenance and daily rows", async () => {
    const res = await env.app.request("/api/admin/stats?days=3", { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      jobs: object;
      maintenance: { on: boolean };
      days: { live: boolean }[];
    };
    expect(body.jobs).toEqual({ queued: 0, running: 0 });
    expect(body.maintenance.on).toBe(false);
    expect(body.days[0]?.live).toBe(true);
    expect((await env.app.request("/api/admin/stats?days=0", { headers: auth })).status).toBe(400);
  });

  for (const [name, body] of [
    ["malformed JSON", "{on:"],
    ["missing on", "{}"],
    ["on as a string", '{"on":"yes"}'],
    ["unknown field", '{"on":true,"drop":"table"}'],
    ["message over 500 characters", JSON.stringify({ on: true, message: "x".repeat(501) })],
  ] as const) {
    it(`rejects ${name} with 400 and changes nothing`, async () => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(env.settings.isMaintenance()).toBe(false);
    });
  }

  it("turns maintenance on with a message, audited as http:admin", async () => {
    const res = await post(JSON.stringify({ on: true, message: "Back at 15:00 UTC" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ on: true, message: "Back at 15:00 UTC", by: "http:admin" });
    expect(recentAudit(env.dbh.db, 1)[0]).toMatchObject({ actor: "http:admin", action: "maintenance_on" });
    expect((await post('{"on":false}')).status).toBe(200);
    expect(env.settings.isMaintenance()).toBe(false);
  });
});
