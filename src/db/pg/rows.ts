// Rows between Postgres and the stores: raw rows come back with SQL column names (snake_case); the stores
// hand out drizzle's property names (camelCase), the same objects the SQLite stores return. Driven by the
// Postgres schema's column list, so a new column maps without code here.

import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** Maps a raw `SELECT *` / `RETURNING *` row of `table` to its typed row. */
export function rowReader<T extends PgTable>(table: T): (raw: Record<string, unknown>) => T["$inferSelect"] {
  const pairs = Object.entries(getTableColumns(table)).map(([key, col]) => [col.name, key] as const);
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const [name, key] of pairs) out[key] = raw[name];
    return out as T["$inferSelect"];
  };
}

/** `"col_a", "col_b", …` of `table`, leaving out the given properties (an access token, say). */
export function columnList<T extends PgTable>(table: T, except: readonly string[] = []): string {
  return Object.entries(getTableColumns(table))
    .filter(([key]) => !except.includes(key))
    .map(([, col]) => `"${col.name}"`)
    .join(", ");
}

/**
 * An INSERT of the properties `row` sets (undefined ones are left to their defaults), `RETURNING *`:
 * the statement and its parameters.
 */
export function insertSql<T extends PgTable>(
  table: T,
  row: Record<string, unknown>,
): { sql: string; params: unknown[] } {
  const tableName = getTableName(table);
  const cols = getTableColumns(table);
  const names: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(row)) {
    const col = cols[key];
    if (!col || value === undefined) continue;
    names.push(`"${col.name}"`);
    params.push(value);
  }
  const holders = params.map((_, i) => `$${i + 1}`).join(", ");
  return {
    sql: names.length
      ? `INSERT INTO "${tableName}" (${names.join(", ")}) VALUES (${holders}) RETURNING *`
      : `INSERT INTO "${tableName}" DEFAULT VALUES RETURNING *`,
    params,
  };
}

/** `$k, $k+1, …` for a list bound after `before` other parameters (IN lists of any length). */
export function placeholders(count: number, before = 0): string {
  return Array.from({ length: count }, (_, i) => `$${before + i + 1}`).join(", ");
}
