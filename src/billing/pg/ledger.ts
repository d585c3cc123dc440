// The Postgres implementation of LedgerStore. An append is one statement: the row (ON CONFLICT (reason,
// ref) DO NOTHING) and, only when it was written, its delta added to ledger_balances — so a repeated
// (reason, ref) or a rolled-back caller moves no cached sum, and no two nodes credit one ref twice (the
// second insert waits on the first's unique index entry and then does nothing).
// Inside a transaction the balance read locks the user's ledger_balances row (FOR UPDATE): a check and
// the debit after it (a charge, an operator's debit, a move) are one step for every node, as SQLite's one
// writer makes them. A user without a row has 0 and nothing can be debited, so there is nothing to lock.

import { type PgClient, pgSchema, rowReader } from "../../db";
import type { LedgerRow, LedgerStore } from "../store";
import { lockIn, txOn } from "./sql";

const read = rowReader(pgSchema.ledger);

export const PG_BALANCE_SQL = "SELECT balance AS b FROM ledger_balances WHERE user_id = $1";
const APPEND_SQL = `WITH added AS (
    INSERT INTO ledger (user_id, delta, reason, ref, actor, note, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reason, ref) DO NOTHING
    RETURNING user_id, delta, created_at)
  INSERT INTO ledger_balances (user_id, balance, rows, updated_at)
    SELECT user_id, delta, 1, created_at FROM added
  ON CONFLICT (user_id) DO UPDATE SET balance = ledger_balances.balance + excluded.balance,
    rows = ledger_balances.rows + 1, updated_at = excluded.updated_at`;

export function createPgLedgerStore(pg: PgClient): LedgerStore {
  const rows = (sql: string, params: unknown[]): LedgerRow[] => pg.all(sql, params).map(read);
  return {
    balance: (userId) => pg.get<{ b: number }>(PG_BALANCE_SQL + lockIn(pg), [userId])?.b ?? 0,
    append: (e) =>
      pg.run(APPEND_SQL, [e.userId, e.delta, e.reason, e.ref, e.actor, e.note ?? null, e.createdAt]) === 1,
    find(reason, ref) {
      const r = pg.get("SELECT * FROM ledger WHERE reason = $1 AND ref = $2", [reason, ref]);
      return r ? read(r) : undefined;
    },
    listOfUser: (userId, limit) =>
      rows("SELECT * FROM ledger WHERE user_id = $1 ORDER BY id DESC LIMIT $2", [userId, limit]),
    pageOfUser: (userId, limit, beforeId = Number.MAX_SAFE_INTEGER) =>
      rows("SELECT * FROM ledger WHERE user_id = $1 AND id < $3 ORDER BY id DESC LIMIT $2", [
        userId,
        limit,
        beforeId,
      ]),
    atomically: txOn(pg),
  };
}
