// Copies the one SQLite file into an empty Postgres (`magic-master migrate-to-postgres`): every table of
// the Postgres schema, parents before children (foreign-key order), in one Postgres transaction read from
// one SQLite snapshot, ids kept, identity sequences moved past the copied ids. Before COMMIT it compares
// each table's row count and every user's ledger sum and cached balance on both sides; any difference
// throws CopyMismatchError naming the table and the transaction rolls back, so the target stays empty
// and the copy can simply be run again.
// The table list comes from the schema itself (copyOrder), so a table added to the schema is copied
// without a change here; a table in the SQLite file that the schema does not know stops the copy.

import { getTableColumns, getTableName, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { closeDb, type DbHandle, openDb } from "./connect";
import { runMigrations } from "./migrate";
import { PgClient } from "./pg/client";
import { runPgMigrations } from "./pg/migrate";
import * as pgSchema from "./pg/schema";

const TABLES: PgTable[] = Object.values(pgSchema as Record<string, unknown>).filter((v): v is PgTable =>
  is(v, PgTable),
);

/** Table names, every table after the tables it references (a cycle would be a schema bug: it throws). */
export function copyOrder(): string[] {
  const deps = new Map<string, Set<string>>();
  for (const t of TABLES) {
    const name = getTableName(t);
    const refs = getTableConfig(t).foreignKeys.map((fk) => getTableName(fk.reference().foreignTable));
    deps.set(name, new Set(refs.filter((r) => r !== name)));
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting")
      throw new Error(`copy: foreign-key cycle ${[...path, name].join(" → ")}`);
    state.set(name, "visiting");
    for (const d of [...(deps.get(name) ?? [])].sort()) visit(d, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of [...deps.keys()].sort()) visit(name, []);
  return order;
}

export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyRefusedError";
  }
}

/** A check after the copy failed: `table` differs between SQLite and Postgres. */
export class CopyMismatchError extends Error {
  constructor(
    readonly table: string,
    detail: string,
  ) {
    super(`copy: ${table} differs after the copy: ${detail}; nothing was written (rolled back)`);
    this.name = "CopyMismatchError";
  }
}

export type CopyReport = {
  /** Rows copied, per table, in copy order. */
  tables: { table: string; rows: number }[];
  /** Users whose ledger sum (and cached balance) were compared. */
  ledgerUsers: number;
  /** Sum of every ledger delta (equal on both sides). */
  ledgerTotal: number;
  /** Identity sequences moved past the copied ids. */
  sequences: number;
  ms: number;
};

type Raw = Record<string, unknown>;
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** Rows per INSERT: one JSON parameter each, so the statement size stays bounded. */
const BATCH = 500;

/** SQLite holds booleans as 0/1 and JSON as text; Postgres wants booleans and JSON values. */
function converterOf(t: PgTable): (row: Raw) => Raw {
  const fix: [string, (v: unknown) => unknown][] = [];
  for (const col of Object.values(getTableColumns(t))) {
    if (col.columnType === "PgBoolean") fix.push([col.name, (v) => (v === null ? null : Boolean(v))]);
    if (col.columnType === "PgJsonb")
      fix.push([col.name, (v) => (typeof v === "string" ? JSON.parse(v) : v)]);
  }
  return (row) => {
    for (const [name, f] of fix) if (name in row) row[name] = f(row[name]);
    return row;
  };
}

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
  const convert = converterOf(t);
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

type Sums = Map<number, number>;
const sumsOf = (rows: { user_id: number; s: number }[]): Sums =>
  new Map(rows.map((r) => [Number(r.user_id), Number(r.s)]));

function diffSums(table: string, what: string, a: Sums, b: Sums): void {
  for (const id of new Set([...a.keys(), ...b.keys()]))
    if ((a.get(id) ?? 0) !== (b.get(id) ?? 0))
      throw new CopyMismatchError(
        table,
        `user ${id}: ${what} ${a.get(id) ?? "none"} in SQLite, ${b.get(id) ?? "none"} in Postgres`,
      );
}

/** Row counts of every table, then the ledger per user and its cached balances, on both sides. */
function verify(src: DbHandle, pg: PgClient, order: string[]): { users: number; total: number } {
  for (const t of order) {
    const a = (src.sqlite.query(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
    const b = pg.get<{ n: number }>(`SELECT count(*) AS n FROM ${q(t)}`)?.n ?? 0;
    if (a !== b) throw new CopyMismatchError(t, `${a} rows in SQLite, ${b} in Postgres`);
  }
  const ledgerSql = "SELECT user_id, sum(delta) AS s FROM ledger GROUP BY user_id";
  const liteLedger = sumsOf(src.sqlite.query(ledgerSql).all() as { user_id: number; s: number }[]);
  const pgLedger = sumsOf(pg.all(ledgerSql));
  diffSums("ledger", "ledger sum", liteLedger, pgLedger);
  const balanceSql = "SELECT user_id, balance AS s FROM ledger_balances";
  const liteBalance = sumsOf(src.sqlite.query(balanceSql).all() as { user_id: number; s: number }[]);
  const pgBalance = sumsOf(pg.all(balanceSql));
  diffSums("ledger_balances", "cached balance", liteBalance, pgBalance);
  // The cache must also agree with the ledger it caches (a user with rows has a balance row).
  diffSums("ledger_balances", "ledger sum vs cached balance", pgLedger, pgBalance);
  let total = 0;
  for (const s of pgLedger.values()) total += s;
  return { users: pgLedger.size, total };
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
      const { users, total } = verify(src, pg, order);
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
