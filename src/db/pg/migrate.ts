// Applies the drizzle-kit migrations of migrations/postgres/ (embedded in the binary like the SQLite ones)
// through the synchronous client. Same bookkeeping as drizzle's own Postgres migrator (the table
// drizzle.__drizzle_migrations, one row per migration with its hash and folder time), so drizzle-kit and
// this agree on what was applied. The whole run is one transaction under an advisory lock: two nodes
// starting at once apply each migration once, and a failed migration leaves nothing half done.

import { join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrationsFolder, type SchemaState, SchemaTooNewError } from "../migrate";
import type { PgClient } from "./client";

export const pgMigrationsFolder = (): string => join(migrationsFolder(), "postgres");

/** Any constant: the key of the advisory lock migrations take (other locks use other keys). */
const MIGRATION_LOCK = 7_242_001;

const TABLE = `"drizzle"."__drizzle_migrations"`;

function ensureTable(pg: PgClient): void {
  pg.run(`CREATE SCHEMA IF NOT EXISTS "drizzle"`);
  pg.run(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  );
}

/** How many migrations Postgres has applied vs how many this build knows (`folder`: tests of an upgrade). */
export function pgSchemaState(pg: PgClient, folder = pgMigrationsFolder()): SchemaState {
  const known = readMigrationFiles({ migrationsFolder: folder });
  const latestKnown = known.at(-1)?.folderMillis ?? 0;
  const has = pg.get<{ t: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  if (!has?.t) return { applied: 0, known: known.length, latestApplied: null, latestKnown };
  const row = pg.get<{ n: number; latest: number | null }>(
    `SELECT count(*) AS n, max(created_at) AS latest FROM ${TABLE}`,
  );
  return { applied: row?.n ?? 0, known: known.length, latestApplied: row?.latest ?? null, latestKnown };
}

/**
 * Brings the Postgres schema up to date; how many migrations were applied now. `folder` is the embedded
 * migrations unless a test applies an older release's set first.
 */
export function runPgMigrations(pg: PgClient, folder = pgMigrationsFolder()): number {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  return pg.tx(() => {
    pg.run("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    ensureTable(pg);
    const before = pgSchemaState(pg, folder);
    if (before.latestApplied !== null && before.latestApplied > before.latestKnown)
      throw new SchemaTooNewError(before);
    let applied = 0;
    for (const m of migrations) {
      if (before.latestApplied !== null && m.folderMillis <= before.latestApplied) continue;
      for (const stmt of m.sql) if (stmt.trim()) pg.run(stmt);
      pg.run(`INSERT INTO ${TABLE} (hash, created_at) VALUES ($1, $2)`, [m.hash, m.folderMillis]);
      applied++;
    }
    return applied;
  });
}
