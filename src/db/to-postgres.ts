// Copies the one SQLite file into an empty Postgres (`magic-master migrate-to-postgres`): every table of
// the Postgres schema, parents before children (foreign-key order), in one Postgres transaction read from
// one SQLite snapshot, ids kept, identity sequences moved past the copied ids. Before COMMIT it compares
// each table's row count and every user's ledger sum and cached balance on both sides; any difference
// throws CopyMismatchError naming the table and the transaction rolls back, so the target stays empty
// and the copy can simply be run again.
// The table list comes from the schema itself (copyOrder), so a table added to the schema is copied
// without a change here; a table in the SQLite file that the schema does not know stops the copy.

import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { closeDb, type DbHandle, openDb } from "./connect";
import {
  CopyRefusedError,
  type CopyReport,
  converterOf,
  copyOrder,
  postgresSide,
  q,
  type Raw,
  sqliteSide,
  TABLES,
  verifyCopy,
} from "./copy-common";
import { runMigrations } from "./migrate";
import { PgClient } from "./pg/client";
import { runPgMigrations } from "./pg/migrate";

/** Rows per INSERT: one JSON parameter each, so the statement size stays bounded. */
const BATCH = 500;

function sqliteTables(src: DbHandle): string[] {
  return (
    src.sqlite
      .query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

function nonEmpty(pg: PgClient, tables: string[]): string[] {
  return tables.filter((t) => pg.get(`SELECT 1 AS one FROM ${q(t)} LIMIT 1`) !== undefined);
}

function copyTable(src: DbHandle, pg: PgClient, t: PgTable): number {
  const name = getTableName(t);
  const cols = Object.values(getTableColumns(t)).map((c) => q(c.name));
  // SQLite holds booleans as 0/1 and JSON as text; Postgres wants booleans and JSON values.
  const convert = converterOf(t, {
    boolean: (v) => Boolean(v),
    json: (v) => (typeof v === "string" ? JSON.parse(v) : v),
  });
  const insert = `INSERT INTO ${q(name)} (${cols.join(", ")})
    SELECT ${cols.join(", ")} FROM jsonb_populate_recordset(NULL::${q(name)}, $1::text::jsonb)`;
  let batch: Raw[] = [];
  let n = 0;
  const flush = () => {
    if (!batch.length) return;
    try {
      pg.run(insert, [JSON.stringify(batch)]);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`copy: ${name}: ${reason}`);
    }
    n += batch.length;
    batch = [];
  };
  for (const row of src.sqlite.query(`SELECT * FROM ${q(name)} ORDER BY rowid`).iterate() as Iterable<Raw>) {
    batch.push(convert({ ...row }));
    if (batch.length >= BATCH) flush();
  }
  flush();
  return n;
}

/** Moves every identity sequence of the public schema past the largest id now in its table. */
function resetSequences(pg: PgClient): number {
  const ids = pg.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND is_identity = 'YES'`,
  );
  for (const { table_name: t, column_name: c } of ids)
    pg.run(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${q(c)}) FROM ${q(t)}), 0) + 1, false)`,
      [q(t), c],
    );
  return ids.length;
}

/**
 * Copies `src` (a SQLite file at the head of its migrations) into `pg`, which is migrated to head first
 * and must hold no rows. Throws CopyRefusedError before writing anything, CopyMismatchError when a check
 * after the copy fails (rolled back).
 */
export function copySqliteToPostgres(src: DbHandle, pg: PgClient): CopyReport {
  const t0 = performance.now();
  const order = copyOrder();
  const byName = new Map(TABLES.map((t) => [getTableName(t), t]));
  const unknown = sqliteTables(src).filter((t) => !byName.has(t));
  if (unknown.length)
    throw new CopyRefusedError(
      `the SQLite file has tables this build does not know (${unknown.join(", ")}): it is newer than this binary; upgrade the binary`,
    );
  runPgMigrations(pg);
  const full = nonEmpty(pg, order);
  if (full.length)
    throw new CopyRefusedError(
      `the target Postgres is not empty (rows in ${full.join(", ")}); copy only into a new, empty database`,
    );
  // One read transaction on SQLite: every table is read from the same snapshot (WAL readers never block).
  src.sqlite.exec("BEGIN");
  try {
    return pg.tx(() => {
      const tables = order.map((table) => ({
        table,
        rows: copyTable(src, pg, byName.get(table) as PgTable),
      }));
      const sequences = resetSequences(pg);
      const { users, total } = verifyCopy(sqliteSide(src), postgresSide(pg), order);
      return {
        tables,
        ledgerUsers: users,
        ledgerTotal: total,
        sequences,
        ms: Math.round(performance.now() - t0),
      };
    });
  } finally {
    src.sqlite.exec("ROLLBACK");
  }
}

/**
 * The verb's work: opens the SQLite file at `from` (brought to this build's schema first, as `serve`
 * would) and the Postgres at `databaseUrl`, copies, closes both.
 */
export function migrateSqliteFileToPostgres(o: { from: string; databaseUrl: string }): CopyReport {
  const src = openDb(o.from);
  try {
    runMigrations(src);
    const pg = PgClient.connect(o.databaseUrl, { queryTimeoutMs: 600_000 });
    try {
      return copySqliteToPostgres(src, pg);
    } finally {
      pg.close();
    }
  } finally {
    closeDb(src);
  }
}
