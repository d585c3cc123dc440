// What the two one-way copies between the backends share (`migrate-to-postgres`, db/to-postgres.ts, and
// `migrate-to-sqlite`, db/to-sqlite.ts): the table list and its foreign-key order, taken from the
// Postgres schema (the same tables as the SQLite one: test/unit/db/pg-schema-parity.test.ts), the errors,
// the report, and the check run before COMMIT on either side: every table's row count, every user's
// ledger sum and cached balance, and the cache against the ledger it caches.

import { getTableColumns, getTableName, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import type { DbHandle } from "./connect";
import type { PgClient } from "./pg/client";
import * as pgSchema from "./pg/schema";

export const TABLES: PgTable[] = Object.values(pgSchema as Record<string, unknown>).filter(
  (v): v is PgTable => is(v, PgTable),
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

/** The copy would not start: nothing was written. */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyRefusedError";
  }
}

/** A check after the copy failed: `table` differs between the two sides. */
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
  /** Identity sequences moved past the copied ids (Postgres targets; SQLite's follow the ids itself). */
  sequences: number;
  ms: number;
};

export type Raw = Record<string, unknown>;
export const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A row's booleans and JSON values respelled for the other side (null stays null), in place. */
export function converterOf(
  t: PgTable,
  to: { boolean: (v: unknown) => unknown; json: (v: unknown) => unknown },
): (row: Raw) => Raw {
  const fix: [string, (v: unknown) => unknown][] = [];
  for (const col of Object.values(getTableColumns(t))) {
    if (col.columnType === "PgBoolean") fix.push([col.name, to.boolean]);
    if (col.columnType === "PgJsonb") fix.push([col.name, to.json]);
  }
  return (row) => {
    for (const [name, f] of fix) if (name in row && row[name] !== null) row[name] = f(row[name]);
    return row;
  };
}

/** One side of a copy, as the check reads it. */
export type CopySide = { name: string; all: <T = Raw>(sql: string) => T[] };
export const sqliteSide = (h: DbHandle): CopySide => ({
  name: "SQLite",
  all: <T>(sql: string) => h.sqlite.query(sql).all() as T[],
});
export const postgresSide = (pg: PgClient): CopySide => ({
  name: "Postgres",
  all: <T>(sql: string) => pg.all<T & Raw>(sql) as T[],
});

type Sums = Map<number, number>;
const sumsOf = (rows: { user_id: number; s: number }[]): Sums =>
  new Map(rows.map((r) => [Number(r.user_id), Number(r.s)]));

/** Per user, `a` on side `from` against `b` on side `to` (the same side: the cache against its ledger). */
function diffSums(
  table: string,
  what: [string, string],
  from: CopySide,
  a: Sums,
  to: CopySide,
  b: Sums,
): void {
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(id) ?? "none", b.get(id) ?? "none"];
    if (x === y) continue;
    const detail =
      from === to
        ? `${what[0]} ${x}, ${what[1]} ${y} in ${to.name}`
        : `${what[0]} ${x} in ${from.name}, ${y} in ${to.name}`;
    throw new CopyMismatchError(table, `user ${id}: ${detail}`);
  }
}

/** Row counts of every table, then the ledger per user and its cached balances, on both sides. */
export function verifyCopy(from: CopySide, to: CopySide, order: string[]): { users: number; total: number } {
  const count = (side: CopySide, t: string) =>
    Number(side.all<{ n: number }>(`SELECT count(*) AS n FROM ${q(t)}`)[0]?.n ?? 0);
  for (const t of order) {
    const a = count(from, t);
    const b = count(to, t);
    if (a !== b) throw new CopyMismatchError(t, `${a} rows in ${from.name}, ${b} in ${to.name}`);
  }
  const sums = (side: CopySide, sql: string) => sumsOf(side.all<{ user_id: number; s: number }>(sql));
  const ledgerSql = "SELECT user_id, sum(delta) AS s FROM ledger GROUP BY user_id";
  const fromLedger = sums(from, ledgerSql);
  const toLedger = sums(to, ledgerSql);
  diffSums("ledger", ["ledger sum", ""], from, fromLedger, to, toLedger);
  const balanceSql = "SELECT user_id, balance AS s FROM ledger_balances";
  const toBalance = sums(to, balanceSql);
  diffSums("ledger_balances", ["cached balance", ""], from, sums(from, balanceSql), to, toBalance);
  // The cache must also agree with the ledger it caches (a user with rows has a balance row).
  diffSums("ledger_balances", ["ledger sum", "cached balance"], to, toLedger, to, toBalance);
  let total = 0;
  for (const s of toLedger.values()) total += s;
  return { users: toLedger.size, total };
}
