// What most verbs need: validated config, the data layout and (optionally) the migrated database.
import { existsSync } from "node:fs";
import { type Config, loadConfig } from "../config";
import { closeDb, type DbHandle, openDb, runMigrations } from "../db";
import { type DataLayout, dataLayout, ensureLayout } from "../files";
import type { CliIo } from "./types";

export type CliContext = { config: Config; layout: DataLayout };

export function cliContext(io: CliIo): CliContext {
  const config = loadConfig(io.env, io.envFile);
  return { config, layout: dataLayout(config.MM_DATA_DIR) };
}

/**
 * Opens the existing database, migrated to head, runs `fn` and closes it again. Only serve, migrate and
 * restore create a database: an admin verb run from the wrong folder (MM_DATA_DIR unset) would otherwise
 * work on a fresh, empty one and report "user not found" instead of the real mistake.
 */
export async function withDb<T>(ctx: CliContext, fn: (dbh: DbHandle) => T | Promise<T>): Promise<T> {
  if (!existsSync(ctx.layout.db)) throw new Error(`no database at ${ctx.layout.db}; set MM_DATA_DIR`);
  ensureLayout(ctx.layout); // a copied-in database may lack backups/ or work/
  const dbh = openDb(ctx.layout.db);
  try {
    runMigrations(dbh);
    return await fn(dbh);
  } finally {
    closeDb(dbh);
  }
}

/** Prints `value` as JSON or as aligned `key  value` lines. */
export function printRecord(io: CliIo, json: boolean, value: Record<string, unknown>): void {
  if (json) {
    io.out(JSON.stringify(value, null, 2));
    return;
  }
  const width = Math.max(...Object.keys(value).map((k) => k.length));
  for (const [k, v] of Object.entries(value))
    io.out(`${k.padEnd(width)}  ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
}
