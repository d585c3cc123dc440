// Shared set-up for the ops integration tests: the real app with the maintenance guard, the mastering API
// and the admin routes on a temp data dir, plus a job engine whose renders wait for the test.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccounts, createSqliteAccountStores } from "../../../src/accounts";
import { type Config, loadConfig } from "../../../src/config";
import { createAuditLog, openDb, runMigrations } from "../../../src/db";
import { dataLayout, ensureLayout } from "../../../src/files/layout";
import { apiMount } from "../../../src/http/api-mount";
import { createApp, type RouteMount } from "../../../src/http/app";
import { newCounters } from "../../../src/http/deps";
import { maintenanceMount } from "../../../src/http/middleware/maintenance";
import { adminMount } from "../../../src/http/routes/admin";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { checkHealth, createDailyStats } from "../../../src/ops";
import { createSettings, type Settings } from "../../../src/settings";
import { analysisFixture } from "../../fixtures/analysis";

export const TOKEN = "admin-token-0123456789abcdef";
const services: JobService[] = [];

/** Stops every job service a test started (call from afterAll). */
export async function stopAll(): Promise<void> {
  for (const s of services) await s.stop(1000);
}

/** An engine whose master() waits until the test opens the gate. */
export function gatedEngine() {
  const gates: (() => void)[] = [];
  const engine: JobEngine = {
    outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
    async master(_in, output, _s, opts) {
      await new Promise<void>((resolve) => {
        gates.push(resolve);
        opts.signal.addEventListener("abort", () => resolve());
      });
      await Bun.write(output, "RIFF");
      return { before: analysisFixture(), after: analysisFixture(), duration_s: 1, realtime_factor: 5 };
    },
    preview: (...a) => engine.master(...a),
    measure: async () => ({
      before: analysisFixture(),
      after: null,
      duration_s: 1,
      realtime_factor: 5,
    }),
  };
  return { engine, openOne: () => gates.shift()?.(), waiting: () => gates.length };
}

export function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "mm-ops-"));
  const config: Config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "2", MM_ADMIN_TOKEN: TOKEN, ...env });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const settings: Settings = createSettings({ kind: "sqlite", dbh }, { cacheMs: 0 });
  const gate = gatedEngine();
  // Counts how often the pool asked whether it may claim: "it looked again and took nothing" becomes a
  // state a test can wait for instead of a sleep.
  let claimChecks = 0;
  const jobs = createJobService({
    dbh,
    config,
    log: silentLogger,
    layout,
    engine: gate.engine,
    pollMs: 20,
    canClaim: () => {
      claimChecks++;
      return !settings.isMaintenance();
    },
  });
  services.push(jobs);
  const startedAt = new Date();
  const health = () =>
    checkHealth({
      config,
      jobCounts: () => jobs.counts(),
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
    adminMount({
      config,
      log: silentLogger,
      audit: createAuditLog({ kind: "sqlite", dbh }),
      jobs,
      stats: createDailyStats({
        backend: { kind: "sqlite", dbh },
        jobs: jobs.reports,
        users: createAccounts({
          stores: createSqliteAccountStores(dbh),
          log: silentLogger,
          jobsOfUser: jobs.reports.countsOfUser,
        }),
      }),
      layout,
      settings,
    }),
  ];
  const app = createApp(
    {
      config,
      log: silentLogger,
      layout,
      startedAt,
      counters: newCounters(),
      botStatus: () => "disabled",
      health,
      version: "test",
    },
    mounts,
  );
  return { app, config, layout, dbh, settings, jobs, gate, claimChecks: () => claimChecks };
}
