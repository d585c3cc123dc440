// Balances of many users at once, for the admin panel's user list (its balance column and the "has a
// balance" filter), read from ledger_balances, the running sums the ledger keeps with every row.
import type { DbHandle } from "../../db";

export type Balances = {
  /** The balances of these users (absent ones are 0). */
  of(userIds: readonly number[]): Map<number, number>;
  /** Every user whose balance is above zero. */
  positive(): number[];
};

export function createSqliteBalances(h: DbHandle): Balances {
  const some = h.sqlite.prepare<{ user_id: number; balance: number }, [string]>(
    "SELECT user_id, balance FROM ledger_balances WHERE user_id IN (SELECT value FROM json_each(?1))",
  );
  const positive = h.sqlite.prepare<{ user_id: number }, []>(
    "SELECT user_id FROM ledger_balances WHERE balance > 0 ORDER BY user_id",
  );
  return {
    of(ids) {
      const out = new Map<number, number>();
      if (ids.length) for (const r of some.all(JSON.stringify(ids))) out.set(r.user_id, r.balance);
      return out;
    },
    positive: () => positive.all().map((r) => r.user_id),
  };
}
