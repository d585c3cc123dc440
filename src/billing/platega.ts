// Platega orders (payments-wire.md §2): the order row first, then one transaction for it. Platega has no
// idempotency key, so the order row is the guard: a transaction once attached is returned to every later
// click, and creates of one order in flight at the same time share one call (the service is one
// process, DESIGN.md). A create whose answer never came is not repeated blindly; its transaction, if
// Platega made one, was never shown to the buyer, so it cannot be paid. Callbacks are authenticated by
// the route (X-MerchantId + X-Secret) and then never believed: the transaction is re-fetched and only
// what GET /transaction/{id} says — status, amount, currency, payload = our order — is acted on, through
// the same settlement as YooKassa and Stars (credit once, chargeback reversed once).

import { z } from "zod";
import { AppError } from "../errors";
import type { Logger } from "../log";
import { type CreatedPayment, createFailed, openOrNewOrder, REUSE_MS, returnUrl } from "./orders";
import type { OrderRow, OrderStore } from "./payment-store";
import type { PlanRow, Plans } from "./plans";
import type { Platega, PlategaTransaction } from "./providers/platega";
import type { Outcome, Settlement } from "./settlement";

export const PLATEGA = "platega";

export type PlategaDeps = {
  orders: OrderStore;
  plans: Plans;
  client: Platega;
  settle: Settlement;
  publicUrl: string;
  reconcileMin: number;
  log: Logger;
  now: () => number;
};

const Callback = z.looseObject({
  id: z.string().min(1).max(64),
  status: z.string().max(32).optional(),
});

export type ReconcileCount = { checked: number; settled: number; errors: number };

export interface PlategaPayments {
  create(userId: number, plan: PlanRow): Promise<CreatedPayment>;
  /** An authenticated callback body: the transaction re-fetched and settled. ProviderError: API down. */
  callback(body: unknown): Promise<Outcome>;
  reconcile(): Promise<ReconcileCount>;
  /** One order re-fetched and settled now (the admin panel); ProviderError when the API is down. */
  reconcileOne(order: OrderRow): Promise<Outcome>;
  /** The transaction as Platega has it now (null: unknown to it); ProviderError when the API is down. */
  fetch(transactionId: string): Promise<PlategaTransaction | null>;
  /**
   * Refunds a paid order through Platega (POST /transaction/{id}/cancel), then settles from the re-fetched
   * transaction: CHARGEBACKED reverses the credit once (its callback then finds nothing to do); still
   * CONFIRMED answers "pending" and the CHARGEBACKED callback reverses it. Platega's manual path
   * (accepted:false, manualControlRequired) is refused with platega_refund_manual: nothing reversed.
   */
  refund(orderId: string, actor: string): Promise<Outcome>;
}

/** Minor units (kopecks) of a Platega amount, which is a number of whole rubles (490, 490.5). */
export const minorOf = (amount: number) => Math.round(amount * 100);

export function createPlategaPayments(d: PlategaDeps): PlategaPayments {
  const { orders, log, now, settle } = d;
  const inFlight = new Map<string, Promise<CreatedPayment>>();

  const attached = (o: OrderRow): CreatedPayment | undefined =>
    o.providerPaymentId && o.confirmationUrl
      ? { order: o, paymentId: o.providerPaymentId, confirmationUrl: o.confirmationUrl }
      : undefined;

  async function createFor(order: OrderRow): Promise<CreatedPayment> {
    const label = d.plans.get(order.planKey)?.labelRu ?? order.planKey;
    const back = returnUrl(d.publicUrl, order);
    let t: Awaited<ReturnType<Platega["createTransaction"]>>;
    try {
      t = await d.client.createTransaction({
        paymentDetails: { amount: order.amountMinor / 100, currency: order.currency },
        description: `${label}, заказ ${order.id.slice(0, 8)}`.slice(0, 128),
        return: back,
        failedUrl: back,
        payload: order.id,
        metadata: { userId: String(order.userId) },
      });
    } catch (err) {
      throw createFailed(d, order, err, PLATEGA);
    }
    const row = orders.attachPayment(order.id, t.transactionId, t.url, now());
    const made = row && row.providerPaymentId === t.transactionId ? attached(row) : undefined;
    if (!made)
      throw new AppError(
        "payment_provider_refused",
        502,
        {},
        new Error(`order ${order.id} has another transaction than ${t.transactionId}`),
      );
    log.info("payment_created", "", {
      order_id: order.id,
      user_id: order.userId,
      payment_id: t.transactionId,
      plan: order.planKey,
      provider: PLATEGA,
    });
    return made;
  }

  /** Acts on a transaction fetched from the API for `order`. */
  function apply(order: OrderRow, t: PlategaTransaction): Outcome {
    const fields = { order_id: order.id, payment_id: t.id, user_id: order.userId, provider: PLATEGA };
    // The payload, when the API returns it, must name this order; without it the transaction must be
    // the one attached to the order.
    const sameOrder = t.payload ? t.payload === order.id : order.providerPaymentId === t.id;
    const samePayment = order.providerPaymentId === null || order.providerPaymentId === t.id;
    const money = t.paymentDetails;
    const sameMoney =
      money !== undefined && minorOf(money.amount) === order.amountMinor && money.currency === order.currency;
    const moneyNeeded = t.status === "CONFIRMED" || t.status === "CHARGEBACKED";
    if (!sameOrder || !samePayment || (moneyNeeded && !sameMoney)) {
      log.warn("payment_mismatch", "the provider's transaction does not match the order", {
        ...fields,
        status: t.status,
        order_amount: order.amountMinor / 100,
        order_currency: order.currency,
        amount: money?.amount ?? null,
        currency: money?.currency ?? null,
        payload: t.payload ?? null,
      });
      return "mismatch";
    }
    if (t.status === "CONFIRMED") {
      if (order.status !== "succeeded" && order.status !== "refunded")
        log.info("payment_verified", "the API says CONFIRMED", { ...fields, amount: money?.amount });
      const outcome = settle.credit(order, t.id);
      if (outcome === "credited")
        log.info("payment_credited", "", {
          ...fields,
          plan: order.planKey,
          tokens: order.tokens,
          amount: money?.amount,
        });
      return outcome;
    }
    if (t.status === "CANCELED") {
      const changed = orders.atomically(() => {
        if (!order.providerPaymentId) orders.attachPayment(order.id, t.id, null, now());
        return orders.transition(order.id, ["pending"], "canceled", now());
      });
      if (changed) log.info("payment_canceled", "", fields);
      return changed ? "canceled" : "duplicate";
    }
    if (t.status === "CHARGEBACKED") {
      const current = orders.get(order.id) ?? order;
      if (current.status === "succeeded")
        return settle.reverse(current, t.id, `platega chargeback of order ${order.id}`, fields);
      // Never credited (its CONFIRMED was never seen): the money came and went, nothing to take back.
      const changed = orders.atomically(() => {
        if (!order.providerPaymentId) orders.attachPayment(order.id, t.id, null, now());
        return orders.transition(order.id, ["pending", "canceled"], "refunded", now());
      });
      if (changed) log.info("payment_refunded", "chargeback of an order never credited", fields);
      return changed ? "refunded" : "duplicate";
    }
    return "pending";
  }

  /** The order a fetched transaction belongs to: the one it is attached to, else the one its payload names. */
  function orderOf(t: PlategaTransaction): OrderRow | undefined {
    const o = orders.byProviderPayment(PLATEGA, t.id) ?? (t.payload ? orders.get(t.payload) : undefined);
    return o?.provider === PLATEGA ? o : undefined;
  }

  /** Re-fetches one order's transaction and settles it; ProviderError when the API is down. */
  async function reconcileOne(order: OrderRow): Promise<Outcome> {
    if (!order.providerPaymentId) {
      // The create never answered: no buyer has a link to pay. Past the reuse window no click attaches
      // a transaction to it any more, so it is closed.
      if (order.status !== "pending" || now() - order.createdAt < REUSE_MS) return "pending";
      orders.transition(order.id, ["pending"], "canceled", now());
      log.info("payment_expired", "no provider transaction within the reuse window", {
        order_id: order.id,
        provider: PLATEGA,
      });
      return "canceled";
    }
    const t = await d.client.getTransaction(order.providerPaymentId);
    if (!t) return "unknown";
    const outcome = apply(order, t);
    log.info("payment_reconciled", "", {
      order_id: order.id,
      payment_id: t.id,
      provider: PLATEGA,
      status: t.status,
      outcome,
    });
    return outcome;
  }

  return {
    create(userId, plan) {
      // No await before the in-flight check: reading the row and joining a running create is one step.
      const order = openOrNewOrder(orders, {
        userId,
        plan,
        provider: PLATEGA,
        amountMinor: plan.amountMinor,
        now: now(),
      });
      const done = attached(order);
      if (done) return Promise.resolve(done);
      const running = inFlight.get(order.id);
      if (running) return running;
      const p = createFor(order).finally(() => inFlight.delete(order.id));
      inFlight.set(order.id, p);
      return p;
    },
    async callback(body) {
      const n = Callback.safeParse(body);
      if (!n.success) throw new AppError("invalid_notification", 400);
      const { id, status } = n.data;
      const done = (outcome: Outcome, extra: Record<string, unknown> = {}) => {
        log.info("payment_notification", status ?? "", {
          provider: PLATEGA,
          notification: status ?? null,
          object_id: id,
          outcome,
          ...extra,
        });
        return outcome;
      };
      const t = await d.client.getTransaction(id);
      if (!t) return done("unknown");
      const order = orderOf(t);
      if (!order) return done("unknown", { payload: t.payload ?? null });
      return done(apply(order, t), { order_id: order.id, status: t.status });
    },
    async refund(orderId, actor) {
      const order = orders.get(orderId);
      if (order?.provider !== PLATEGA) throw new AppError("order_not_found", 404);
      if (order.status === "refunded") return "duplicate";
      const id = order.providerPaymentId;
      if (order.status !== "succeeded" || !id) throw new AppError("order_not_refundable", 409);
      const fields = { order_id: order.id, payment_id: id, user_id: order.userId, provider: PLATEGA, actor };
      let answer: Awaited<ReturnType<Platega["cancelTransaction"]>>;
      try {
        answer = await d.client.cancelTransaction(id);
      } catch (err) {
        log.warn("payment_refund_failed", (err as Error).message, fields);
        throw new AppError("platega_refund_failed", 502, {}, err);
      }
      if (!answer.accepted) {
        log.warn("payment_refund_manual", answer.message ?? "", {
          ...fields,
          manual: answer.manualControlRequired ?? null,
        });
        throw new AppError("platega_refund_manual", 409);
      }
      log.info("payment_refund_requested", "", fields);
      const t = await d.client.getTransaction(id).catch(() => null);
      return t ? apply(orders.get(order.id) ?? order, t) : "pending";
    },
    reconcileOne,
    fetch: (id) => d.client.getTransaction(id),
    async reconcile() {
      const out = { checked: 0, settled: 0, errors: 0 };
      for (const order of orders.pendingBefore(PLATEGA, now() - d.reconcileMin * 60_000, 200)) {
        out.checked++;
        try {
          const outcome = await reconcileOne(order);
          if (outcome === "credited" || outcome === "canceled" || outcome === "refunded") out.settled++;
        } catch (err) {
          out.errors++;
          log.warn("payment_reconcile_failed", (err as Error).message, {
            order_id: order.id,
            provider: PLATEGA,
          });
        }
      }
      return out;
    },
  };
}
