// Scheduler shutdown (moved from the test suite, which checks only that stop gives up and says so):
// how long stop(grace) takes when a task never finishes, against a bare setTimeout(grace) in the same run.
// Goal: ratio ≈ 1.0× (stop adds no wait of its own beyond the grace period).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccounts, createSqliteAccountStores } from "../src/accounts";
import { loadConfig } from "../src/config";
import { openDb, runMigrations } from "../src/db";
import { dataLayout, ensureLayout } from "../src/files/layout";
import { createJobService } from "../src/jobs";
import { silentLogger } from "../src/log";
import { createDailyStats } from "../src/ops";
import { createScheduler, type Task } from "../src/scheduler";
import { createSettings } from "../src/settings";
import { fmt, median } from "./lib";

const GRACE_MS = 150;
const RUNS = 10;
const dir = mkdtempSync(join(tmpdir(), "mm-bench-sched-"));
const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1" });
const layout = dataLayout(dir);
ensureLayout(layout);
const dbh = openDb(layout.db);
runMigrations(dbh);
const jobs = createJobService({ dbh, config, log: silentLogger, layout });
const accounts = createAccounts({
  stores: createSqliteAccountStores(dbh),
  log: silentLogger,
  jobsOfUser: jobs.reports.countsOfUser,
});
const stats = createDailyStats({ backend: { kind: "sqlite", dbh }, jobs: jobs.reports, users: accounts });
const settings = createSettings({ kind: "sqlite", dbh });
const never: Task = { name: "never", schedule: () => "off", run: () => new Promise(() => {}) };
const notify = { notifyAdmin: async () => false };
const signIn = { sweepExpired: () => ({ sessions_deleted: 0, email_tokens_deleted: 0 }) };

const ours: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const s = createScheduler({
    config,
    log: silentLogger,
    layout,
    jobs,
    stats,
    settings,
    notify,
    signIn,
    tasks: [never],
  });
  void s.runOnce("never");
  let t0 = performance.now();
  await s.stop(GRACE_MS);
  ours.push(performance.now() - t0);
  t0 = performance.now();
  await new Promise((r) => setTimeout(r, GRACE_MS));
  base.push(performance.now() - t0);
}
console.log(
  `scheduler-stop: stop(${GRACE_MS}) with a task that never ends median ${fmt(median(ours))} ms; bare setTimeout(${GRACE_MS}) ${fmt(median(base))} ms; ratio ${fmt(median(ours) / median(base), 2)}×`,
);
process.exit(0);
