// Copies a Postgres installation back into a new SQLite file (`magic-master migrate-to-sqlite`), the way
// back from scaling out: every table, parents before children, read from one Postgres snapshot
// (REPEATABLE READ, READ ONLY, a cursor per table so memory stays bounded) and written in one SQLite
// transaction, ids kept (SQLite's AUTOINCREMENT counters follow the copied ids by themselves). Before
// COMMIT the same checks as the copy the other way run (copy-common.ts); a difference throws
// CopyMismatchError naming the table and nothing is committed, so the file stays empty and the copy can
// simply be run again. A Postgres holding a table this build does not know stops the copy before it starts.

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

/** Rows per FETCH from the Postgres cursor. */
const BATCH = 500;

function postgresTables(pg: PgClient): string[] {
  return pg
    .all<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .map((r) => r.name);
}

function nonEmpty(dst: DbHandle, tables: string[]): string[] {
  return tables.filter((t) => dst.sqlite.query(`SELECT 1 FROM ${q(t)} LIMIT 1`).get() !== null);
}

/** Changes a row on its way (by column name), e.g. file paths moved to the target's data folder. */
export type RowRewrite = (table: string, row: Raw) => Raw;

function copyTable(pg: PgClient, dst: DbHandle, t: PgTable, rewrite: RowRewrite): number {
  const name = getTableName(t);
  const cols = Object.values(getTableColumns(t)).map((c) => c.name);
  // Postgres gives booleans and JSON values; SQLite keeps booleans as 0/1 and JSON as text.
  const convert = converterOf(t, {
    boolean: (v) => (v ? 1 : 0),
    json: (v) => (typeof v === "string" ? v : JSON.stringify(v)),
  });
  const insert = dst.sqlite.prepare(
    `INSERT INTO ${q(name)} (${cols.map(q).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
  );
  pg.run(`DECLARE mm_copy NO SCROLL CURSOR FOR SELECT ${cols.map(q).join(", ")} FROM ${q(name)}`);
  let n = 0;
  try {
    for (;;) {
      const rows = pg.all(`FETCH ${BATCH} FROM mm_copy`);
      for (const raw of rows) {
        const row = rewrite(name, convert(raw));
        try {
          insert.run(...(cols.map((c) => row[c] ?? null) as (string | number | null)[]));
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          throw new Error(`copy: ${name}: ${reason}`);
        }
      }
      n += rows.length;
      if (rows.length < BATCH) return n;
    }
  } finally {
    pg.run("CLOSE mm_copy");
    insert.finalize();
  }
}

/**
 * Copies `pg` (at the head of this build's Postgres migrations: the verb brings it there first) into `dst` (a SQLite file, migrated to
 * head first, which must hold no rows). Throws CopyRefusedError before writing anything,
 * CopyMismatchError when a check after the copy fails (rolled back).
 */
export function copyPostgresToSqlite(
  pg: PgClient,
  dst: DbHandle,
  rewrite: RowRewrite = (_t, row) => row,
): CopyReport {
  const t0 = performance.now();
  const order = copyOrder();
  const byName = new Map(TABLES.map((t) => [getTableName(t), t]));
  const unknown = postgresTables(pg).filter((t) => !byName.has(t));
  if (unknown.length)
    throw new CopyRefusedError(
      `the Postgres database has tables this build does not know (${unknown.join(", ")}): it is newer than this binary; upgrade the binary`,
    );
  runMigrations(dst);
  const full = nonEmpty(dst, order);
  if (full.length)
    throw new CopyRefusedError(
      `the target SQLite file is not empty (rows in ${full.join(", ")}); copy only into a new file`,
    );
  return pg.tx(() => {
    // Every table from one snapshot, while nodes that were not stopped could still write.
    pg.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    dst.sqlite.exec("BEGIN IMMEDIATE");
    try {
      const tables = order.map((table) => ({
        table,
        rows: copyTable(pg, dst, byName.get(table) as PgTable, rewrite),
      }));
      const { users, total } = verifyCopy(postgresSide(pg), sqliteSide(dst), order);
      dst.sqlite.exec("COMMIT");
      return {
        tables,
        ledgerUsers: users,
        ledgerTotal: total,
        sequences: 0,
        ms: Math.round(performance.now() - t0),
      };
    } catch (err) {
      dst.sqlite.exec("ROLLBACK");
      throw err;
    }
  });
}

/** The verb's work: connects to `databaseUrl`, opens (creates) the SQLite file at `to`, copies, closes. */
export function migratePostgresToSqliteFile(o: {
  databaseUrl: string;
  to: string;
  rewrite?: RowRewrite;
}): CopyReport {
  const pg = PgClient.connect(o.databaseUrl, { queryTimeoutMs: 600_000 });
  try {
    // As `serve` would: an older schema is brought to head (a newer one throws SchemaTooNewError).
    runPgMigrations(pg);
    const dst = openDb(o.to);
    try {
      return copyPostgresToSqlite(pg, dst, o.rewrite);
    } finally {
      closeDb(dst);
    }
  } finally {
    pg.close();
  }
}
