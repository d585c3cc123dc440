// Balances of many users at once on Postgres (contract: ../sqlite/balances.ts), from ledger_balances.

import type { PgClient } from "../../db";
import type { Balances } from "../sqlite/balances";

export function createPgBalances(pg: PgClient): Balances {
  return {
    of(ids) {
      const out = new Map<number, number>();
      if (!ids.length) return out;
      const rows = pg.all<{ user_id: number; balance: number }>(
        `SELECT user_id, balance FROM ledger_balances
         WHERE user_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)`,
        [JSON.stringify(ids)],
      );
      for (const r of rows) out.set(r.user_id, r.balance);
      return out;
    },
    positive: () =>
      pg
        .all<{ user_id: number }>("SELECT user_id FROM ledger_balances WHERE balance > 0 ORDER BY user_id")
        .map((r) => r.user_id),
  };
}
