// The SQLite implementation of PlanStore and OrderStore (billing's plans and orders tables).

import { type AnyColumn, and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { OrderRow, OrderStore, PlanRow, PlanStore } from "../payment-store";

const { plans, orders, orderRefunds } = schema;
const sumOf = (c: AnyColumn) => sql<number>`coalesce(sum(${c}), 0)`;

export function createSqlitePlanStore(h: DbHandle): PlanStore {
  const get = (key: string) => h.db.select().from(plans).where(eq(plans.key, key)).get();
  return {
    seed(rows, now) {
      withImmediateTx(h.sqlite, () => {
        const n = h.db.select({ n: sql<number>`count(*)` }).from(plans).get()?.n ?? 0;
        if (n === 0 && rows.length)
          h.db
            .insert(plans)
            .values(rows.map((r) => ({ ...r, updatedAt: now })))
            .run();
      });
    },
    list: () => h.db.select().from(plans).orderBy(asc(plans.sort), asc(plans.key)).all(),
    get,
    update(key, set, now) {
      const { key: _k, ...rest } = set as Partial<PlanRow>;
      h.db
        .update(plans)
        .set({ ...rest, updatedAt: now })
        .where(eq(plans.key, key))
        .run();
      const row = get(key);
      if (!row) throw new Error(`plans: ${key} vanished during update`);
      return row;
    },
    insert: (row, now) =>
      h.db
        .insert(plans)
        .values({ ...row, updatedAt: now })
        .onConflictDoNothing()
        .returning()
        .get(),
  };
}

export function createSqliteOrderStore(h: DbHandle): OrderStore {
  const get = (id: string): OrderRow | undefined => h.db.select().from(orders).where(eq(orders.id, id)).get();
  return {
    insert(o) {
      const row = h.db.insert(orders).values(o).returning().get();
      if (!row) throw new Error("orders: insert returned nothing");
      return row;
    },
    get,
    byProviderPayment: (provider, paymentId) =>
      h.db
        .select()
        .from(orders)
        .where(and(eq(orders.provider, provider), eq(orders.providerPaymentId, paymentId)))
        .get(),
    openOrder: (userId, planKey, provider, since) =>
      h.db
        .select()
        .from(orders)
        .where(
          and(
            eq(orders.userId, userId),
            eq(orders.planKey, planKey),
            eq(orders.provider, provider),
            eq(orders.status, "pending"),
            gte(orders.createdAt, since),
          ),
        )
        .orderBy(desc(orders.createdAt))
        .get(),
    attachPayment(id, paymentId, confirmationUrl, now) {
      h.db
        .update(orders)
        .set({
          providerPaymentId: paymentId,
          confirmationUrl: sql`coalesce(${confirmationUrl}, ${orders.confirmationUrl})`,
          lastError: null,
          updatedAt: now,
        })
        .where(
          and(
            eq(orders.id, id),
            sql`(${orders.providerPaymentId} IS NULL OR ${orders.providerPaymentId} = ${paymentId})`,
          ),
        )
        .run();
      return get(id);
    },
    noteError(id, error, now) {
      h.db
        .update(orders)
        .set({ lastError: error.slice(0, 500), updatedAt: now })
        .where(eq(orders.id, id))
        .run();
    },
    transition(id, from, to, now) {
      const stamp = to === "succeeded" ? { paidAt: now } : to === "refunded" ? { refundedAt: now } : {};
      const changed = h.db
        .update(orders)
        .set({ status: to, updatedAt: now, ...stamp })
        .where(and(eq(orders.id, id), inArray(orders.status, [...from])))
        .returning({ id: orders.id })
        .all();
      return changed.length === 1;
    },
    pendingBefore: (provider, before, limit) =>
      h.db
        .select()
        .from(orders)
        .where(and(eq(orders.provider, provider), eq(orders.status, "pending"), lt(orders.createdAt, before)))
        .orderBy(asc(orders.createdAt))
        .limit(limit)
        .all(),
    counts() {
      const rows = h.db
        .select({
          status: orders.status,
          currency: orders.currency,
          n: sql<number>`count(*)`,
          sum: sql<number>`coalesce(sum(${orders.amountMinor}), 0)`,
        })
        .from(orders)
        .groupBy(orders.status, orders.currency)
        .all();
      const byStatus: Record<string, number> = { pending: 0, succeeded: 0, canceled: 0, refunded: 0 };
      const revenueMinor: Record<string, number> = {};
      for (const r of rows) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
        if (r.status === "succeeded") revenueMinor[r.currency] = (revenueMinor[r.currency] ?? 0) + r.sum;
      }
      // Revenue is what is still paid: partial refunds of orders that stay succeeded are taken off
      // (a fully refunded order has left "succeeded" already).
      const partial = h.db
        .select({ currency: orderRefunds.currency, sum: sumOf(orderRefunds.amountMinor) })
        .from(orderRefunds)
        .innerJoin(orders, eq(orders.id, orderRefunds.orderId))
        .where(eq(orders.status, "succeeded"))
        .groupBy(orderRefunds.currency)
        .all();
      for (const r of partial) revenueMinor[r.currency] = (revenueMinor[r.currency] ?? 0) - r.sum;
      const paidMinor: Record<string, number> = {};
      for (const r of rows)
        if (r.status === "succeeded" || r.status === "refunded")
          paidMinor[r.currency] = (paidMinor[r.currency] ?? 0) + r.sum;
      const refunds = h.db
        .select({ currency: orderRefunds.currency, sum: sumOf(orderRefunds.amountMinor) })
        .from(orderRefunds)
        .groupBy(orderRefunds.currency)
        .all();
      const refundedMinor = Object.fromEntries(refunds.map((r) => [r.currency, r.sum]));
      return { byStatus, revenueMinor, paidMinor, refundedMinor };
    },
    refundByRef: (ref) => h.db.select().from(orderRefunds).where(eq(orderRefunds.ref, ref)).get(),
    refundTotals(orderId) {
      const r = h.db
        .select({
          amountMinor: sql<number>`coalesce(sum(${orderRefunds.amountMinor}), 0)`,
          tokensDue: sql<number>`coalesce(sum(${orderRefunds.tokensDue}), 0)`,
          daysDue: sql<number>`coalesce(sum(${orderRefunds.daysDue}), 0)`,
          count: sql<number>`count(*)`,
        })
        .from(orderRefunds)
        .where(eq(orderRefunds.orderId, orderId))
        .get();
      return r ?? { amountMinor: 0, tokensDue: 0, daysDue: 0, count: 0 };
    },
    daySummary(start, end) {
      const created =
        h.db
          .select({ n: sql<number>`count(*)` })
          .from(orders)
          .where(and(gte(orders.createdAt, start), lt(orders.createdAt, end)))
          .get()?.n ?? 0;
      const paid = h.db
        .select({ currency: orders.currency, n: sql<number>`count(*)`, sum: sumOf(orders.amountMinor) })
        .from(orders)
        .where(
          and(
            inArray(orders.status, ["succeeded", "refunded"]),
            gte(orders.paidAt, start),
            lt(orders.paidAt, end),
          ),
        )
        .groupBy(orders.currency)
        .all();
      const refunds = h.db
        .select({ currency: orderRefunds.currency, sum: sumOf(orderRefunds.amountMinor) })
        .from(orderRefunds)
        .where(and(gte(orderRefunds.createdAt, start), lt(orderRefunds.createdAt, end)))
        .groupBy(orderRefunds.currency)
        .all();
      return {
        created,
        paid: paid.reduce((a, r) => a + r.n, 0),
        revenueMinor: Object.fromEntries(paid.map((r) => [r.currency, r.sum])),
        refundsMinor: Object.fromEntries(refunds.map((r) => [r.currency, r.sum])),
      };
    },
    recordRefund(r) {
      h.db.insert(orderRefunds).values(r).run();
    },
    refundsOf: (orderId) =>
      h.db
        .select()
        .from(orderRefunds)
        .where(eq(orderRefunds.orderId, orderId))
        .orderBy(orderRefunds.id)
        .all(),
    atomically: (fn) => (h.sqlite.inTransaction ? fn() : withImmediateTx(h.sqlite, fn)),
  };
}
