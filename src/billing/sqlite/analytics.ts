// SQLite reads for BillingAnalytics: grouped sums over the ledger and the payments table. Not on a hot
// path (operator CLI), so the query builder's cost does not matter.

import { and, desc, gte, inArray, ne, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import { type BillingAnalytics, PAID_STATUSES, type PaymentStats } from "../analytics";
import { CHARGE, REFUND } from "../ledger";

const { ledger, payments } = schema;

export function createSqliteBillingAnalytics(h: DbHandle): BillingAnalytics {
  return {
    topSpenders(since, limit) {
      const charged = sql<number>`coalesce(sum(case when ${ledger.reason} = ${CHARGE} then -${ledger.delta} else 0 end), 0)`;
      const refunded = sql<number>`coalesce(sum(case when ${ledger.reason} = ${REFUND} then ${ledger.delta} else 0 end), 0)`;
      const spent = sql<number>`coalesce(sum(-${ledger.delta}), 0)`;
      return h.db
        .select({
          userId: ledger.userId,
          spent,
          charged,
          refunded,
          jobs: sql<number>`coalesce(sum(case when ${ledger.reason} = ${CHARGE} then 1 else 0 end), 0)`,
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
      const inWindow = since === null ? undefined : gte(payments.createdAt, since);
      const paid = h.db
        .select({
          currency: payments.currency,
          count: sql<number>`count(*)`,
          amount: sql<number>`coalesce(sum(${payments.amount}), 0)`,
          average: sql<number>`coalesce(avg(${payments.amount}), 0)`,
        })
        .from(payments)
        .where(and(inArray(payments.status, [...PAID_STATUSES]), inWindow))
        .groupBy(payments.currency)
        .orderBy(payments.currency)
        .all()
        .map((r) => ({ ...r, average: Math.round(r.average * 100) / 100 }));
      const byStatus = h.db
        .select({
          provider: payments.provider,
          status: payments.status,
          currency: payments.currency,
          count: sql<number>`count(*)`,
          amount: sql<number>`coalesce(sum(${payments.amount}), 0)`,
        })
        .from(payments)
        .where(inWindow)
        .groupBy(payments.provider, payments.status, payments.currency)
        .orderBy(payments.provider, payments.status, payments.currency)
        .all();
      const credits = h.db
        .select({
          reason: ledger.reason,
          rows: sql<number>`count(*)`,
          tokens: sql<number>`coalesce(sum(${ledger.delta}), 0)`,
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
      return { since, paid, byStatus, credits };
    },
  };
}
