// What the Postgres stores share: select lists that name each column as its row property (the tables are
// the same on both backends, src/db/pg/schema mirrors src/db/schema, so the SQLite drizzle tables
// give the column names), transactions on the one connection, and unique violations that must not abort
// an open transaction.

import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import { isUniqueViolation, type PgClient } from "../../db";

/** `"t"."snake" AS "camel", …` for every column of the table (or only `keys`), optionally qualified. */
export function cols<T extends Table>(
  table: T,
  o: { as?: string; only?: readonly (keyof T["_"]["columns"])[] } = {},
): string {
  const all = getTableColumns(table) as Record<string, { name: string }>;
  const keys = (o.only as string[] | undefined) ?? Object.keys(all);
  const q = o.as ?? getTableName(table);
  return keys.map((k) => `"${q}"."${all[k]?.name}" AS "${k}"`).join(", ");
}

/** Runs fn in one transaction, or inside the one already open (as SQLite's stores do). */
export const atomicallyOn =
  (pg: PgClient) =>
  <T>(fn: () => T): T =>
    pg.inTransaction ? fn() : pg.tx(fn);

/**
 * `fn`'s result, or `fallback` when a unique constraint refuses it. The statement runs in a savepoint
 * (or its own transaction): on Postgres a failed statement would otherwise abort the caller's transaction,
 * where SQLite only fails the statement.
 */
export function unlessUnique<T, F>(pg: PgClient, fn: () => T, fallback: F): T | F {
  try {
    return pg.tx(fn);
  } catch (err) {
    if (isUniqueViolation(err)) return fallback;
    throw err;
  }
}

/** An id list as one parameter (any length): `id = ANY (…)` over a JSON array. */
export const idList = (ids: readonly number[]): string => JSON.stringify(ids);
export const IN_IDS = (param: string) => `(SELECT jsonb_array_elements_text(${param}::text::jsonb)::bigint)`;
