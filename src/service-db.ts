// The service's database (src/service.ts): opened (MM_DATABASE_URL unset → the SQLite file in the data
// folder; postgres://… → that database) and migrated before anything reads it, then the two things read
// from it that shape the rest of start-up: the flags/maintenance settings and the runtime overrides of a
// few env values (every module gets the live config and reads them when it acts).

import type { Config } from "./config";
import { type Backend, closeBackend, describeBackend, migrateBackend, openBackend } from "./db";
import type { DataLayout } from "./files";
import type { Logger } from "./log";
import { createRuntime, createSettings, type Runtime, type Settings } from "./settings";

export type ServiceDb = { backend: Backend; settings: Settings; runtime: Runtime; config: Config };

/** Opens and migrates the database; a failed migration closes it again and throws. */
export function openServiceDb(base: Config, layout: DataLayout, log: Logger): ServiceDb {
  const backend = openBackend({ databaseUrl: base.MM_DATABASE_URL, sqlitePath: layout.db });
  let applied: number;
  try {
    applied = migrateBackend(backend);
  } catch (err) {
    closeBackend(backend);
    throw err;
  }
  log.info("db_ready", "database open", {
    backend: backend.kind,
    path: describeBackend(backend),
    migrations_applied: applied,
  });
  // Flags and maintenance mode live in the settings table; the pool stops claiming during maintenance.
  const settings = createSettings(backend, { cacheMs: 2000 });
  const runtime = createRuntime(backend, base, { cacheMs: 2000 });
  return { backend, settings, runtime, config: runtime.liveConfig(base) };
}
