// Admin HTTP and maintenance mode on the real app (app.request, real SQLite, real files): the token
// matrix, the streamed backup, stats, and maintenance blocking new jobs while a running one finishes.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../../../src/config";
import { openDb, recentAudit, runMigrations } from "../../../src/db";
import { dataLayout, ensureLayout } from "../../../src/files/layout";
import { apiMount } from "../../../src/http/api-mount";
import { createApp, type RouteMount } from "../../../src/http/app";
import { newCounters } from "../../../src/http/deps";
import { maintenanceMount } from "../../../src/http/middleware/maintenance";
import { adminMount } from "../../../src/http/routes/admin";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { checkHealth, type Health } from "../../../src/ops/health";
import { createSettings, type Settings } from "../../../src/settings";

const TOKEN = "admin-token-0123456789abcdef";
const services: JobService[] = [];
afterAll(async () => {
  for (const s of services) await s.stop(1000);
});

/** An engine whose master() waits until the test opens the gate. */
function gatedEngine() {
  const gates: (() => void)[] = [];
  const engine: JobEngine = {
    outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
    async master(_in, output, _s, opts) {
      await new Promise<void>((resolve) => {
        gates.push(resolve);
        opts.signal.addEventListener("abort", () => resolve());
      });
      await Bun.write(output, "RIFF");
      return { before: {}, after: {}, duration_s: 1, realtime_factor: 5, lufs_in: null, lufs_out: null };
    },
    preview: (...a) => engine.master(...a),
    measure: async () => ({
      before: {},
      after: null,
      duration_s: 1,
      realtime_factor: 5,
      lufs_in: null,
      lufs_out: null,
    }),
  };
  return { engine, openOne: () => gates.shift()?.(), waiting: () => gates.length };
}

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "mm-ops-"));
  const config: Config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "2", MM_ADMIN_TOKEN: TOKEN, ...env });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const settings: Settings = createSettings(dbh.db, { cacheMs: 0 });
  const gate = gatedEngine();
  const jobs = createJobService({
    dbh,
    config,
    log: silentLogger,
    layout,
    engine: gate.engine,
    pollMs: 20,
    canClaim: () => !settings.isMaintenance(),
  });
  services.push(jobs);
  const startedAt = new Date();
  const health = () =>
    checkHealth({
      config,
      dbh,
      dataDir: dir,
      version: "test",
      startedAt,
      ffmpeg: async () => ({ status: "ok", version: "5.1" }),
      botStatus: () => "disabled",
      maintenance: () => settings.isMaintenance(),
    });
  const mounts: RouteMount[] = [
    maintenanceMount({ settings, retryAfterS: 120 }),
    apiMount({ config, layout, jobs }),
    adminMount({ config, log: silentLogger, dbh, layout, settings }),
  ];
  const app = createApp(
    {
      config,
      log: silentLogger,
      dbh,
      layout,
      startedAt,
      counters: newCounters(),
      botStatus: () => "disabled",
      health,
      version: "test",
    },
    mounts,
  );
  return { app, config, layout, dbh, settings, jobs, gate };
}

type Row = { name: string; token?: string | null; auth?: string; status: number };

describe("admin routes: authentication", () => {
  const env = setup();
  const table: Row[] = [
    { name: "no Authorization header", status: 401 },
    { name: "empty bearer", auth: "Bearer ", status: 401 },
    { name: "wrong token of the same length", token: TOKEN.replace(/.$/, "X"), status: 401 },
    { name: "a prefix of the token", token: TOKEN.slice(0, 10), status: 401 },
    { name: "the token with a suffix", token: `${TOKEN}x`, status: 401 },
    { name: "Basic scheme with the token", auth: `Basic ${TOKEN}`, status: 401 },
    { name: "token without scheme", auth: TOKEN, status: 401 },
    { name: "correct token", token: TOKEN, status: 200 },
    { name: "lower-case scheme", auth: `bearer ${TOKEN}`, status: 200 },
  ];
  for (const path of ["/api/admin/stats", "/api/admin/backup/db"]) {
    for (const row of table) {
      it(`GET ${path} with ${row.name} answers ${row.status}`, async () => {
        const auth = row.auth ?? (row.token ? `Bearer ${row.token}` : undefined);
        const res = await env.app.request(path, { headers: auth ? { Authorization: auth } : {} });
        expect(res.status).toBe(row.status);
        if (row.status === 401) {
          expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
          const body = await res.text();
          expect(JSON.parse(body).error.code).toBe("unauthorized");
          expect(body).not.toContain(TOKEN.slice(0, 10));
        } else await res.arrayBuffer();
      });
    }
  }

  it("POST /api/admin/maintenance without a token is 401 and changes nothing", async () => {
    const res = await env.app.request("/api/admin/maintenance", {
      method: "POST",
      body: JSON.stringify({ on: true }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(401);
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
      /attachment; filename="magic-master-backup-.*Z\.db"/,
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

describe("maintenance mode", () => {
  it("answers new submissions 503 + Retry-After while a running job finishes; queued work waits", async () => {
    const env = setup();
    const upload = (name: string) => {
      const path = join(env.layout.uploads, name);
      writeFileSync(path, "x");
      return {
        ownerKey: "ip:9",
        source: "api" as const,
        kind: "master" as const,
        inputPath: path,
        inputBytes: 1,
        originalName: name,
        settings: {},
        lang: "en" as const,
      };
    };
    const running = env.jobs.submit(upload("a.wav"));
    env.jobs.start();
    const until = async (pred: () => boolean, what: string) => {
      const deadline = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await Bun.sleep(10);
      }
    };
    await until(() => env.gate.waiting() === 1, "the first job to start");

    env.settings.setMaintenance(true, "Обновление до 15:00", "cli");
    for (const path of [
      "/api/v2/master",
      "/api/master",
      "/api/v2/preview",
      "/api/v2/batch",
      "/api/measure",
      "/api/master/",
    ]) {
      const res = await env.app.request(path, {
        method: "POST",
        body: "ignored",
        headers: { "Accept-Language": "ru" },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("120");
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: "maintenance",
        message: "Сервис на обслуживании. Обновление до 15:00",
      });
    }
    // Reads keep working, and health shows the mode.
    expect(
      (await env.app.request(`/api/jobs/${running.id}?token=${env.jobs.accessToken(running.id)}`)).status,
    ).toBe(200);
    expect(((await (await env.app.request("/api/health")).json()) as Health).maintenance).toBe(true);

    // A job queued by another edge (bot) is not claimed while maintenance is on.
    const waiting = env.jobs.submit(upload("b.wav"));
    env.gate.openOne();
    await until(() => env.jobs.get(running.id)?.status === "done", "the running job to finish");
    await Bun.sleep(150); // several poll intervals
    expect(env.jobs.get(waiting.id)?.status).toBe("queued");
    expect(env.gate.waiting()).toBe(0);

    env.settings.setMaintenance(false, undefined, "cli");
    await until(() => env.gate.waiting() === 1, "the queued job to be claimed after maintenance");
    env.gate.openOne();
    await until(() => env.jobs.get(waiting.id)?.status === "done", "the second job to finish");
  });

  it("uses the default text when the operator gave no message", async () => {
    const env = setup();
    env.settings.setMaintenance(true, undefined, "cli");
    const res = await env.app.request("/api/v2/master", { method: "POST" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      "New tasks are paused",
    );
  });
});
