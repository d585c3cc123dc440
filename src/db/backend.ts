// Which database the rows live in, chosen by MM_DATABASE_URL: unset → the one SQLite file in the data
// folder (the embedded default), postgres://… → that Postgres. Each area's store factory takes a Backend
// and picks its implementation; both are synchronous, so callers never know which one they got.

import { closeDb, type DbHandle, openDb } from "./connect";
import { runMigrations, type SchemaState, schemaState } from "./migrate";
import { PgClient, type PgOptions, safeDatabaseUrl } from "./pg/client";
import { pgSchemaState, runPgMigrations } from "./pg/migrate";

export type Backend = { kind: "sqlite"; dbh: DbHandle } | { kind: "postgres"; pg: PgClient };

/** Opens the database MM_DATABASE_URL names (empty: the SQLite file at `sqlitePath`). */
export function openBackend(
  o: { databaseUrl: string; sqlitePath: string },
  pgOptions: PgOptions = {},
): Backend {
  if (o.databaseUrl) return { kind: "postgres", pg: PgClient.connect(o.databaseUrl, pgOptions) };
  return { kind: "sqlite", dbh: openDb(o.sqlitePath) };
}

/** Brings the schema up to date; how many migrations were applied now. */
export function migrateBackend(b: Backend): number {
  return b.kind === "postgres" ? runPgMigrations(b.pg) : runMigrations(b.dbh);
}

export function backendSchemaState(b: Backend): SchemaState {
  return b.kind === "postgres" ? pgSchemaState(b.pg) : schemaState(b.dbh);
}

/** Where the rows are, for logs and CLI output (never a password). */
export function describeBackend(b: Backend): string {
  return b.kind === "postgres" ? safeDatabaseUrl(b.pg.url) : b.dbh.path;
}

export function closeBackend(b: Backend): void {
  if (b.kind === "postgres") b.pg.close();
  else closeDb(b.dbh);
}

/** The SQLite handle of a SQLite backend; on Postgres it throws, naming `what` (never a silent SQLite). */
export function sqliteHandleOf(b: Backend, what: string): DbHandle {
  if (b.kind === "sqlite") return b.dbh;
  throw new Error(`${what} needs the SQLite file, but MM_DATABASE_URL names Postgres`);
}
