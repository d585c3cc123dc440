// Applies the drizzle-kit migrations embedded in the binary (or read from ./migrations in development),
// and refuses to run on a database whose schema is newer than this build knows.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import type { DbHandle } from "./connect";

/**
 * Where `migrations/` and `web/` live: beside the sources in development, and under the binary's
 * virtual root (`/$bunfs/root`) when compiled with `--asset migrations --asset web`.
 */
export function assetRoot(): string {
  const candidates = [join(import.meta.dir, "..", ".."), import.meta.dir, join(import.meta.dir, "..")];
  for (const c of candidates) if (existsSync(join(c, "migrations", "meta", "_journal.json"))) return c;
  return join(import.meta.dir, "..", "..");
}

export const migrationsFolder = (): string => join(assetRoot(), "migrations");

type Journal = { entries: { idx: number; tag: string; when: number }[] };

/** The migrations this build ships, oldest first. */
export function knownMigrations(): Journal["entries"] {
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder(), "meta", "_journal.json"), "utf8"),
  ) as Journal;
  return journal.entries;
}

export type SchemaState = {
  applied: number;
  known: number;
  latestApplied: number | null;
  latestKnown: number;
};

/** How many migrations the database has applied vs how many this build knows. */
export function schemaState(h: DbHandle): SchemaState {
  const known = knownMigrations();
  const latestKnown = known.at(-1)?.when ?? 0;
  const hasTable = h.sqlite
    .query("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
    .get();
  if (!hasTable) return { applied: 0, known: known.length, latestApplied: null, latestKnown };
  const row = h.sqlite
    .query("SELECT count(*) AS n, max(created_at) AS latest FROM __drizzle_migrations")
    .get() as {
    n: number;
    latest: number | null;
  };
  return { applied: row.n, known: known.length, latestApplied: row.latest, latestKnown };
}

export class SchemaTooNewError extends Error {
  constructor(readonly state: SchemaState) {
    super(
      `database schema is newer than this build (database has ${state.applied} migrations up to ${state.latestApplied}, this build knows ${state.known} up to ${state.latestKnown}); upgrade the binary`,
    );
    this.name = "SchemaTooNewError";
  }
}

/** Brings the schema up to date. Returns how many migrations were applied now. */
export function runMigrations(h: DbHandle): number {
  const before = schemaState(h);
  if (before.latestApplied !== null && before.latestApplied > before.latestKnown)
    throw new SchemaTooNewError(before);
  migrate(h.db, { migrationsFolder: migrationsFolder() });
  return schemaState(h).applied - before.applied;
}
