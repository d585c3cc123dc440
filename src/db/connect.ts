// Opens the one SQLite file with the pragmas every connection needs, in the order that matters.

import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { drizzle } from "drizzle-orm/bun-sqlite";
import * as schema from "./schema";

export type Db = ReturnType<typeof drizzle<typeof schema>>;

/** A raw bun:sqlite handle plus its drizzle wrapper; close with `closeDb`. */
export type DbHandle = { sqlite: Database; db: Db; path: string };

/**
 * Applies the per-connection pragmas. Every connection (Worker threads and CLI processes too) must call it:
 * - busy_timeout FIRST: switching to WAL needs a lock; without a timeout a concurrent opener fails at once.
 * - journal_mode=WAL: readers never block the writer, so the CLI and backups work while the service runs.
 * - synchronous=NORMAL: durable across process crashes in WAL mode, and far fewer fsyncs than FULL.
 * - foreign_keys=ON: SQLite leaves them off per connection unless asked.
 */
export function applyPragmas(sqlite: Database): void {
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  sqlite.exec("PRAGMA foreign_keys = ON");
  sqlite.exec("PRAGMA temp_store = MEMORY");
}

/** Opens (creating the folder and file if needed) the database at `path`. */
export function openDb(path: string, opts: { readonly?: boolean } = {}): DbHandle {
  if (!opts.readonly) mkdirSync(dirname(path), { recursive: true });
  const sqlite = opts.readonly
    ? new Database(path, { readonly: true })
    : new Database(path, { create: true });
  if (opts.readonly) sqlite.exec("PRAGMA busy_timeout = 5000");
  else applyPragmas(sqlite);
  return { sqlite, db: drizzle(sqlite, { schema }), path };
}

/** Checkpoints the WAL into the main file (so a copied .db is complete) and closes. */
export function closeDb(h: DbHandle): void {
  try {
    h.sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch {
    // A read-only or already-broken handle cannot checkpoint; closing is still right.
  }
  h.sqlite.close();
}

/**
 * Runs `fn` inside BEGIN IMMEDIATE so the write lock is taken up front: two processes claiming the same
 * row cannot both read it as free. Rolls back on throw.
 */
export function withImmediateTx<T>(sqlite: Database, fn: () => T): T {
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    const out = fn();
    sqlite.exec("COMMIT");
    return out;
  } catch (err) {
    sqlite.exec("ROLLBACK");
    throw err;
  }
}
