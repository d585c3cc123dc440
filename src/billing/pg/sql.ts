// What billing's Postgres stores share: rows read back under their property names, and transactions on
// the one connection. Locks stand in for SQLite's one writer: a read that a write depends on (a balance
// before a debit, an order before its refund) locks its row when it runs inside a transaction.

import type { PgClient } from "../../db";

/**
 * Runs fn in one transaction, or in a savepoint of the caller's open one (a charge inside the job
 * insert's transaction): it commits with the caller's work, and a failure inside undoes only its own.
 */
export const txOn =
  (pg: PgClient) =>
  <T>(fn: () => T): T =>
    pg.tx(fn);

/** `FOR UPDATE` when a transaction is open (the row stays locked until it ends), else nothing. */
export const lockIn = (pg: PgClient): string => (pg.inTransaction ? " FOR UPDATE" : "");

/** Text sorted byte-wise, as SQLite sorts it (the database's collation may ignore `_`). */
export const BYTES = 'COLLATE "C"';

/** Grouped sums as `{ key: sum }` (currencies → minor units). */
export const byKey = (rows: { k: string; sum: number }[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.k, r.sum]));
