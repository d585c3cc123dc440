// The SQLite implementation of LedgerStore. Statements are prepared once per connection: the balance and
// the append run on every charged submit. The balance is read from ledger_balances, a running sum the
// append updates in the same transaction as the row it adds (a row that is not written — a repeated
// (reason, ref), a rolled-back job insert — moves no cached sum), so a read is one primary-key lookup.

import type { Database } from "bun:sqlite";
import { type DbHandle, withImmediateTx } from "../../db";
import type { LedgerRow, LedgerStore } from "../store";

type Raw = {
  id: number;
  user_id: number;
  delta: number;
  reason: string;
  ref: string;
  actor: string;
  note: string | null;
  created_at: number;
};

const fromRaw = (r: Raw): LedgerRow => ({
  id: r.id,
  userId: r.user_id,
  delta: r.delta,
  reason: r.reason,
  ref: r.ref,
  actor: r.actor,
  note: r.note,
  createdAt: r.created_at,
});

/** The cached sum: one primary-key lookup. */
const BALANCE_SQL = "SELECT balance AS b FROM ledger_balances WHERE user_id = ?1";
/** The sum itself, read from ledger_user_delta_idx only (a covering index); checks and the bench. */
const SUM_SQL = "SELECT coalesce(sum(delta), 0) AS b, count(*) AS n FROM ledger WHERE user_id = ?1";
const BUMP_SQL = `INSERT INTO ledger_balances (user_id, balance, rows, updated_at) VALUES (?1, ?2, 1, ?3)
  ON CONFLICT (user_id) DO UPDATE SET balance = balance + excluded.balance, rows = rows + 1,
  updated_at = excluded.updated_at`;
const APPEND_SQL = `INSERT INTO ledger (user_id, delta, reason, ref, actor, note, created_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (reason, ref) DO NOTHING`;
const FIND_SQL = "SELECT * FROM ledger WHERE reason = ?1 AND ref = ?2";
const LIST_SQL = "SELECT * FROM ledger WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2";
const PAGE_SQL = "SELECT * FROM ledger WHERE user_id = ?1 AND id < ?3 ORDER BY id DESC LIMIT ?2";

export { BALANCE_SQL, SUM_SQL };

export function createSqliteLedgerStore(h: DbHandle): LedgerStore {
  const db: Database = h.sqlite;
  const balance = db.prepare<{ b: number }, [number]>(BALANCE_SQL);
  const append = db.prepare<never, [number, number, string, string, string, string | null, number]>(
    APPEND_SQL,
  );
  const find = db.prepare<Raw, [string, string]>(FIND_SQL);
  const list = db.prepare<Raw, [number, number]>(LIST_SQL);
  const bump = db.prepare<never, [number, number, number]>(BUMP_SQL);
  const atomically = <T>(fn: () => T): T => (db.inTransaction ? fn() : withImmediateTx(db, fn));
  const page = db.prepare<Raw, [number, number, number]>(PAGE_SQL);
  return {
    balance: (userId) => balance.get(userId)?.b ?? 0,
    append: (e) =>
      atomically(() => {
        const added =
          append.run(e.userId, e.delta, e.reason, e.ref, e.actor, e.note ?? null, e.createdAt).changes === 1;
        if (added) bump.run(e.userId, e.delta, e.createdAt);
        return added;
      }),
    find(reason, ref) {
      const r = find.get(reason, ref);
      return r ? fromRaw(r) : undefined;
    },
    listOfUser: (userId, limit) => list.all(userId, limit).map(fromRaw),
    pageOfUser: (userId, limit, beforeId = Number.MAX_SAFE_INTEGER) =>
      page.all(userId, limit, beforeId).map(fromRaw),
    atomically,
  };
}
