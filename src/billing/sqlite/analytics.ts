// SQLite reads for BillingAnalytics: grouped sums over the ledger and the orders table. Not on a hot path
// (operator CLI), so the query builder's cost does not matter.

import { type AnyColumn, and, desc, gte, inArray, ne, type SQL, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { BillingAnalytics, PaymentStats } from "../analytics";
import { CHARGE, REFUND } from "../ledger";

const { ledger, orders, orderRefunds } = schema;
const PAID = ["succeeded", "refunded"] as const;

const count = sql<number>`count(*)`;
const sumOf = (x: SQL | AnyColumn) => sql<number>`coalesce(sum(${x}), 0)`;

export function createSqliteBillingAnalytics(h: DbHandle): BillingAnalytics {
  return {
    topSpenders(since, limit) {
      const spent = sumOf(sql`-${ledger.delta}`);
      return h.db
        .select({
          userId: ledger.userId,
          spent,
          charged: sumOf(sql`case when ${ledger.reason} = ${CHARGE} then -${ledger.delta} else 0 end`),
          refunded: sumOf(sql`case when ${ledger.reason} = ${REFUND} then ${ledger.delta} else 0 end`),
          jobs: sumOf(sql`case when ${ledger.reason} = ${CHARGE} then 1 else 0 end`),
        })
        .from(ledger)
        .where(and(inArray(ledger.reason, [CHARGE, REFUND]), gte(ledger.createdAt, since)))
        .groupBy(ledger.userId)
        .having(sql`${spent} > 0`)
        .orderBy(desc(spent), ledger.userId)
        .limit(limit)
        .all();
    },
    paymentStats(since): PaymentStats {
      const created = since === null ? undefined : gte(orders.createdAt, since);
      const paidIn = and(
        inArray(orders.status, [...PAID]),
        since === null ? undefined : gte(orders.paidAt, since),
      );
      const refunded = sql`${orders.status} = 'refunded'`;
      const paid = h.db
        .select({
          currency: orders.currency,
          count,
          amountMinor: sumOf(orders.amountMinor),
          averageMinor: sql<number>`coalesce(avg(${orders.amountMinor}), 0)`,
          refundedCount: sumOf(sql`case when ${refunded} then 1 else 0 end`),
          // A refunded order counts whole; a succeeded one its partial refunds (order_refunds), so
          // amount − refunded is what is still paid.
          refundedMinor: sumOf(
            sql`case when ${refunded} then ${orders.amountMinor} else (select coalesce(sum(r.amount_minor), 0) from ${orderRefunds} r where r.order_id = ${orders.id}) end`,
          ),
        })
        .from(orders)
        .where(paidIn)
        .groupBy(orders.currency)
        .orderBy(orders.currency)
        .all()
        .map((r) => ({ ...r, averageMinor: Math.round(r.averageMinor) }));
      const byStatus = h.db
        .select({
          provider: orders.provider,
          status: orders.status,
          currency: orders.currency,
          count,
          amountMinor: sumOf(orders.amountMinor),
        })
        .from(orders)
        .where(created)
        .groupBy(orders.provider, orders.status, orders.currency)
        .orderBy(orders.provider, orders.status, orders.currency)
        .all();
      const byPlan = h.db
        .select({
          plan: orders.planKey,
          currency: orders.currency,
          count,
          amountMinor: sumOf(orders.amountMinor),
        })
        .from(orders)
        .where(paidIn)
        .groupBy(orders.planKey, orders.currency)
        .orderBy(desc(sumOf(orders.amountMinor)), orders.planKey)
        .all();
      const credits = h.db
        .select({
          reason: ledger.reason,
          rows: count,
          tokens: sumOf(ledger.delta),
          users: sql<number>`count(distinct ${ledger.userId})`,
        })
        .from(ledger)
        .where(
          and(
            sql`${ledger.delta} > 0`,
            ne(ledger.reason, REFUND),
            since === null ? undefined : gte(ledger.createdAt, since),
          ),
        )
        .groupBy(ledger.reason)
        .orderBy(ledger.reason)
        .all();
      return { since, paid, byStatus, byPlan, credits };
    },
  };
}
