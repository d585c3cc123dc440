// Shared set-up for scheduler tests: a temp data dir with a migrated SQLite file, a recording notifier,
// captured log lines and a fixed clock. Rows are inserted straight into the real schema.
import { existsSync, mkdtempSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Auth, createAccounts, createAuth, createSqliteAccountStores } from "../../../src/accounts";
import { type Config, loadConfig } from "../../../src/config";
import { type DbHandle, openDb, runMigrations, schema } from "../../../src/db";
import { type DataLayout, dataLayout, ensureLayout } from "../../../src/files/layout";
import { createJobService, type JobService } from "../../../src/jobs";
import { createLogger, type Logger } from "../../../src/log";
import { createDailyStats, type DailyStats } from "../../../src/ops";
import type { TaskDeps } from "../../../src/scheduler";
import { createSettings, type Settings } from "../../../src/settings";

export const NOW = new Date("2026-11-23T12:00:00Z");
export const MIN = 60_000;
export const DAY = 86_400_000;

export type Env = {
  dir: string;
  config: Config;
  layout: DataLayout;
  dbh: DbHandle;
  log: Logger;
  lines: Record<string, unknown>[];
  notes: { kind: string; text: string }[];
  settings: Settings;
  jobs: JobService;
  stats: DailyStats;
  /** Sign-in on the same database, its clock at NOW (the auth_sweep task). */
  signIn: Auth;
  deps(over?: Partial<TaskDeps>): TaskDeps;
};

export function makeEnv(env: Record<string, string> = {}): Env {
  const dir = mkdtempSync(join(tmpdir(), "mm-sched-"));
  const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", ...env });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (l) => lines.push(JSON.parse(l)));
  const notes: { kind: string; text: string }[] = [];
  const settings = createSettings({ kind: "sqlite", dbh }, { cacheMs: 0 });
  const jobs = createJobService({ dbh, config, log, layout, now: () => NOW.getTime() });
  const accounts = createAccounts({
    stores: createSqliteAccountStores(dbh),
    log,
    jobsOfUser: jobs.reports.countsOfUser,
  });
  const stats = createDailyStats({ backend: { kind: "sqlite", dbh }, jobs: jobs.reports, users: accounts });
  const signIn = createAuth({
    store: createSqliteAccountStores(dbh).auth,
    log,
    sessionDays: 30,
    now: () => NOW.getTime(),
  });
  const botUpdates = createSqliteAccountStores(dbh).botUpdates;
  return {
    dir,
    config,
    layout,
    dbh,
    log,
    lines,
    notes,
    settings,
    jobs,
    stats,
    signIn,
    deps: (over = {}) => ({
      config,
      log,
      layout,
      jobs,
      stats,
      settings,
      signIn,
      botUpdates,
      notify: {
        notifyAdmin: async (kind: string, text: string) => {
          notes.push({ kind, text });
          return true;
        },
      },
      now: () => NOW,
      freeDiskMb: () => 10_000,
      adminLang: "en",
      ...over,
    }),
  };
}

let seq = 0;
type NewJob = typeof schema.jobs.$inferInsert;

/** Inserts a job row; `finishedAt` etc. are absolute ms. */
export function insertJob(
  dbh: DbHandle,
  row: Partial<NewJob> & Pick<NewJob, "status">,
): typeof schema.jobs.$inferSelect {
  seq++;
  const [out] = dbh.db
    .insert(schema.jobs)
    .values({
      publicId: `T${String(seq).padStart(5, "0")}`,
      accessToken: "secret-token",
      ownerKey: `ip:${seq}`,
      source: "api",
      createdAt: NOW.getTime() - 5 * MIN,
      ...row,
    })
    .returning()
    .all();
  if (!out) throw new Error("insert failed");
  return out;
}

/** Writes a file (or, for an existing folder, only ages it) with its mtime `ageMs` before NOW. */
export function fileAged(path: string, ageMs: number, body = "data"): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) writeFileSync(path, body);
  const t = (NOW.getTime() - ageMs) / 1000;
  utimesSync(path, t, t);
  return path;
}
