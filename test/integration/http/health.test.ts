// The service's health, metrics, status page and JSON errors, over real HTTP on loopback.
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { loadConfig } from "../../../src/config";
import { silentLogger } from "../../../src/log";
import type { Health } from "../../../src/ops/health";
import { type RunningService, startService } from "../../../src/service";
import { waitFor } from "../../fixtures/wait";

type ErrorBody = { error: { code: string; message: string } };

const running: RunningService[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

async function start(env: Record<string, string> = {}): Promise<RunningService> {
  const dir = mkdtempSync(join(tmpdir(), "mm-http-"));
  const config = loadConfig({ PORT: "0", MM_DATA_DIR: dir, MM_WORKERS: "1", ...env });
  const s = await startService(config, silentLogger);
  running.push(s);
  return s;
}

describe("GET /api/health", () => {
  it("answers 200 ok with database, disk, ffmpeg, bot and job counts", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(200);
    const h = (await res.json()) as Health;
    expect(h).toMatchObject({ status: "ok", database: "ok", bot: "disabled", ffmpeg: { status: "ok" } });
    // The version arrives once ffmpeg has really run (health is shared for 1 s between callers).
    const version =
      h.ffmpeg.version ??
      (await waitFor(
        async () => ((await (await fetch(`${s.url}/api/health`)).json()) as Health).ffmpeg.version,
        { what: "health to report the ffmpeg version", intervalMs: 250 },
      ));
    expect(version).toMatch(/^\d/);
    expect(h.disk.status).toBe("ok");
    expect(h.disk.free_mb).toBeGreaterThan(0);
    expect(h.jobs).toEqual({ running: 0, queued: 0, total_cached: 0 });
    expect(Number.isNaN(Date.parse(h.uptime_since))).toBe(false);
    expect(typeof h.version).toBe("string");
  });

  it("answers 503 degraded when ffmpeg is missing", async () => {
    const s = await start({ MM_FFMPEG: "/nonexistent/ffmpeg" });
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(503);
    const h = (await res.json()) as Health;
    expect(h.status).toBe("degraded");
    expect(h.ffmpeg.status).toBe("missing");
    expect(h.problems).toContain("ffmpeg_missing");
  });

  it("answers 503 degraded when free disk is below MM_DISK_LOW_MB", async () => {
    const s = await start({ MM_DISK_LOW_MB: String(1024 * 1024 * 1024) });
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(503);
    const h = (await res.json()) as Health;
    expect(h.disk.status).toBe("low");
    expect(h.problems).toEqual(["disk_low"]);
  });

  it("answers 503 degraded when the database is unusable", async () => {
    const s = await start();
    s.dbh.sqlite.exec("DROP TABLE jobs");
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as Health).database).toBe("error");
  });
});

describe("metrics", () => {
  it("GET /api/metrics is flat JSON with uptime, requests, errors, jobs, disk and RSS", async () => {
    const s = await start();
    await fetch(`${s.url}/nope`);
    const m = (await (await fetch(`${s.url}/api/metrics`)).json()) as Record<string, number>;
    expect(m.requests_total).toBeGreaterThanOrEqual(1);
    expect(m.errors_4xx_total).toBeGreaterThanOrEqual(1);
    for (const k of ["uptime_seconds", "jobs_running", "jobs_queued", "disk_free_mb", "rss_bytes"])
      expect(typeof m[k]).toBe("number");
    expect(m.rss_bytes).toBeGreaterThan(1_000_000);
  });

  it("GET /metrics is Prometheus text a real parser reads", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const names = parsePrometheusTextFormat(await res.text()).map((f) => f.name);
    expect(names).toContain("magic_master_uptime_seconds");
    expect(names).toContain("magic_master_jobs");
  });
});

describe("GET /status", () => {
  it("is a self-refreshing page in Russian for a Russian browser and English otherwise", async () => {
    const s = await start();
    const ru = await fetch(`${s.url}/status`, { headers: { "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8" } });
    expect(ru.status).toBe(200);
    const ruHtml = await ru.text();
    expect(ruHtml).toContain("Всё работает");
    expect(ruHtml).toContain('http-equiv="refresh"');
    const en = await (await fetch(`${s.url}/status`, { headers: { "Accept-Language": "en-GB" } })).text();
    expect(en).toContain("All systems operational");
  });
});

describe("errors", () => {
  it("an unknown route is a 404 JSON error in the caller's language", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/api/does-not-exist`, { headers: { "Accept-Language": "ru" } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("Не найдено");
    expect(res.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});

describe("feature flags", () => {
  it("a route whose flag is switched off answers 503 feature_disabled, and works again when it is on", async () => {
    const s = await start();
    s.settings.setFlag("batch", false, "test");
    const off = await fetch(`${s.url}/api/v2/batch`, {
      method: "POST",
      headers: { "Accept-Language": "en" },
    });
    expect(off.status).toBe(503);
    expect(((await off.json()) as ErrorBody).error.code).toBe("feature_disabled");
    s.settings.setFlag("batch", true, "test");
    const on = await fetch(`${s.url}/api/v2/batch`, { method: "POST" });
    expect(on.status).toBe(400); // past the gate: now it is the missing multipart body that is wrong
  });
});
