// Postgres reads for BillingAnalytics (contract: ../analytics.ts; the same sums as ../sqlite/analytics.ts).
// Text sorts are byte-wise (COLLATE "C"), as SQLite sorts, so both backends list groups in one order.

import type { PgClient } from "../../db";
import type {
  BillingAnalytics,
  CreditGroup,
  OrderGroup,
  PaidTotals,
  PlanSales,
  SpenderRow,
} from "../analytics";
import { CHARGE, REFUND } from "../ledger";
import { BYTES } from "./sql";

const PAID = "status IN ('succeeded', 'refunded')";

export function createPgBillingAnalytics(pg: PgClient): BillingAnalytics {
  return {
    topSpenders: (since, limit) =>
      pg.all<SpenderRow>(
        `SELECT user_id AS "userId", sum(-delta) AS spent,
           sum(CASE WHEN reason = $1 THEN -delta ELSE 0 END) AS charged,
           sum(CASE WHEN reason = $2 THEN delta ELSE 0 END) AS refunded,
           sum(CASE WHEN reason = $1 THEN 1 ELSE 0 END) AS jobs
         FROM ledger WHERE reason IN ($1, $2) AND created_at >= $3
         GROUP BY user_id HAVING sum(-delta) > 0 ORDER BY spent DESC, user_id LIMIT $4`,
        [CHARGE, REFUND, since, limit],
      ),
    paymentStats(since) {
      // A null window reads everything: `$1 IS NULL OR …` keeps one statement per figure.
      const paid = pg
        .all<PaidTotals>(
          `SELECT currency, count(*) AS count, coalesce(sum(amount_minor), 0) AS "amountMinor",
             coalesce(avg(amount_minor), 0) AS "averageMinor",
             coalesce(sum(CASE WHEN status = 'refunded' THEN 1 ELSE 0 END), 0) AS "refundedCount",
             coalesce(sum(CASE WHEN status = 'refunded' THEN amount_minor ELSE
               (SELECT coalesce(sum(r.amount_minor), 0) FROM order_refunds r WHERE r.order_id = orders.id) END), 0)
               AS "refundedMinor"
           FROM orders WHERE ${PAID} AND ($1::bigint IS NULL OR paid_at >= $1)
           GROUP BY currency ORDER BY currency ${BYTES}`,
          [since],
        )
        .map((r) => ({ ...r, averageMinor: Math.round(r.averageMinor) }));
      const byStatus = pg.all<OrderGroup>(
        `SELECT provider, status, currency, count(*) AS count, coalesce(sum(amount_minor), 0) AS "amountMinor"
         FROM orders WHERE ($1::bigint IS NULL OR created_at >= $1)
         GROUP BY provider, status, currency ORDER BY provider ${BYTES}, status ${BYTES}, currency ${BYTES}`,
        [since],
      );
      const byPlan = pg.all<PlanSales>(
        `SELECT plan_key AS plan, currency, count(*) AS count, coalesce(sum(amount_minor), 0) AS "amountMinor"
         FROM orders WHERE ${PAID} AND ($1::bigint IS NULL OR paid_at >= $1)
         GROUP BY plan_key, currency ORDER BY "amountMinor" DESC, plan_key ${BYTES}`,
        [since],
      );
      const credits = pg.all<CreditGroup>(
        `SELECT reason, count(*) AS rows, coalesce(sum(delta), 0) AS tokens, count(DISTINCT user_id) AS users
         FROM ledger WHERE delta > 0 AND reason <> $1 AND ($2::bigint IS NULL OR created_at >= $2)
         GROUP BY reason ORDER BY reason ${BYTES}`,
        [REFUND, since],
      );
      return { since, paid, byStatus, byPlan, credits };
    },
  };
}
