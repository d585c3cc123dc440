// The Postgres implementation of OrderStore. Transitions are compare-and-set UPDATEs: a second node's
// update of the same order waits for the first, re-reads the row and finds it in none of `from`.
// Inside a transaction `get` locks the order's row (a refund reads the order and its refunds so far, then
// writes: two refunds of one order on two nodes run one after the other, never over the amount), and
// `openOrder` takes a lock per (user, plan, provider), so a double click makes one order.

import { insertSql, type PgClient, pgSchema, placeholders, rowReader } from "../../db";
import type { OrderRow, OrderStore, RefundTotals } from "../payment-store";
import { byKey, lockIn, txOn } from "./sql";

const read = rowReader(pgSchema.orders);
const readRefund = rowReader(pgSchema.orderRefunds);
const OPEN_LOCK = "SELECT pg_advisory_xact_lock(hashtext('mm.orders.open:' || $1 || ':' || $2 || ':' || $3))";

export function createPgOrderStore(pg: PgClient): OrderStore {
  const one = (sql: string, params: unknown[]): OrderRow | undefined => {
    const r = pg.get(sql, params);
    return r ? read(r) : undefined;
  };
  const get = (id: string) => one(`SELECT * FROM orders WHERE id = $1${lockIn(pg)}`, [id]);
  const sums = (sql: string, params: unknown[] = []) =>
    byKey(pg.all<{ k: string; sum: number }>(sql, params));
  return {
    insert(o) {
      const ins = insertSql(pgSchema.orders, o);
      const row = one(ins.sql, ins.params);
      if (!row) throw new Error("orders: insert returned nothing");
      return row;
    },
    get,
    byProviderPayment: (provider, paymentId) =>
      one("SELECT * FROM orders WHERE provider = $1 AND provider_payment_id = $2", [provider, paymentId]),
    openOrder(userId, planKey, provider, since) {
      if (pg.inTransaction) pg.run(OPEN_LOCK, [String(userId), planKey, provider]);
      return one(
        `SELECT * FROM orders WHERE user_id = $1 AND plan_key = $2 AND provider = $3 AND status = 'pending'
           AND created_at >= $4 ORDER BY created_at DESC LIMIT 1`,
        [userId, planKey, provider, since],
      );
    },
    attachPayment(id, paymentId, confirmationUrl, now) {
      const row = one(
        `UPDATE orders SET provider_payment_id = $2, confirmation_url = coalesce($3::text, confirmation_url),
           last_error = NULL, updated_at = $4
         WHERE id = $1 AND (provider_payment_id IS NULL OR provider_payment_id = $2) RETURNING *`,
        [id, paymentId, confirmationUrl, now],
      );
      return row ?? get(id);
    },
    noteError(id, error, now) {
      pg.run("UPDATE orders SET last_error = $2, updated_at = $3 WHERE id = $1", [
        id,
        error.slice(0, 500),
        now,
      ]);
    },
    transition(id, from, to, now) {
      if (!from.length) return false;
      const stamp = to === "succeeded" ? ", paid_at = $3" : to === "refunded" ? ", refunded_at = $3" : "";
      return (
        pg.run(
          `UPDATE orders SET status = $2, updated_at = $3${stamp}
           WHERE id = $1 AND status IN (${placeholders(from.length, 3)})`,
          [id, to, now, ...from],
        ) === 1
      );
    },
    pendingBefore: (provider, before, limit) =>
      pg
        .all(
          `SELECT * FROM orders WHERE provider = $1 AND status = 'pending' AND created_at < $2
           ORDER BY created_at LIMIT $3`,
          [provider, before, limit],
        )
        .map(read),
    counts() {
      const rows = pg.all<{ status: string; currency: string; n: number; sum: number }>(
        `SELECT status, currency, count(*) AS n, coalesce(sum(amount_minor), 0) AS sum
         FROM orders GROUP BY status, currency`,
      );
      const byStatus: Record<string, number> = { pending: 0, succeeded: 0, canceled: 0, refunded: 0 };
      const revenueMinor: Record<string, number> = {};
      const paidMinor: Record<string, number> = {};
      for (const r of rows) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
        if (r.status === "succeeded") revenueMinor[r.currency] = (revenueMinor[r.currency] ?? 0) + r.sum;
        if (r.status === "succeeded" || r.status === "refunded")
          paidMinor[r.currency] = (paidMinor[r.currency] ?? 0) + r.sum;
      }
      // Revenue is what is still paid: partial refunds of orders that stay succeeded are taken off.
      const partial = sums(
        `SELECT r.currency AS k, coalesce(sum(r.amount_minor), 0) AS sum FROM order_refunds r
         JOIN orders o ON o.id = r.order_id WHERE o.status = 'succeeded' GROUP BY r.currency`,
      );
      for (const [c, s] of Object.entries(partial)) revenueMinor[c] = (revenueMinor[c] ?? 0) - s;
      const refundedMinor = sums(
        "SELECT currency AS k, coalesce(sum(amount_minor), 0) AS sum FROM order_refunds GROUP BY currency",
      );
      return { byStatus, revenueMinor, paidMinor, refundedMinor };
    },
    refundByRef(ref) {
      const r = pg.get("SELECT * FROM order_refunds WHERE ref = $1", [ref]);
      return r ? readRefund(r) : undefined;
    },
    refundTotals: (orderId) =>
      pg.get<RefundTotals>(
        `SELECT coalesce(sum(amount_minor), 0) AS "amountMinor", coalesce(sum(tokens_due), 0) AS "tokensDue",
           coalesce(sum(days_due), 0) AS "daysDue", count(*) AS count
         FROM order_refunds WHERE order_id = $1`,
        [orderId],
      ) ?? { amountMinor: 0, tokensDue: 0, daysDue: 0, count: 0 },
    daySummary(start, end) {
      const created =
        pg.get<{ n: number }>("SELECT count(*) AS n FROM orders WHERE created_at >= $1 AND created_at < $2", [
          start,
          end,
        ])?.n ?? 0;
      const paid = pg.all<{ k: string; n: number; sum: number }>(
        `SELECT currency AS k, count(*) AS n, coalesce(sum(amount_minor), 0) AS sum FROM orders
         WHERE status IN ('succeeded', 'refunded') AND paid_at >= $1 AND paid_at < $2 GROUP BY currency`,
        [start, end],
      );
      return {
        created,
        paid: paid.reduce((a, r) => a + r.n, 0),
        revenueMinor: byKey(paid),
        refundsMinor: sums(
          `SELECT currency AS k, coalesce(sum(amount_minor), 0) AS sum FROM order_refunds
           WHERE created_at >= $1 AND created_at < $2 GROUP BY currency`,
          [start, end],
        ),
      };
    },
    recordRefund(r) {
      const ins = insertSql(pgSchema.orderRefunds, r);
      pg.run(ins.sql, ins.params);
    },
    refundsOf: (orderId) =>
      pg.all("SELECT * FROM order_refunds WHERE order_id = $1 ORDER BY id", [orderId]).map(readRefund),
    atomically: txOn(pg),
  };
}
