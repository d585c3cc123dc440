// Settling orders from what the provider's API says (never from what a notification body claims): the
// fetched payment must name our order, carry its exact amount and currency, and be `succeeded` before
// anything is credited. The credit is one transaction — order pending → succeeded, one ledger row under
// (payment, yookassa:<payment id>), the tier extension keyed on the same ref — so a crash leaves either
// all of it or none, and a duplicate finds the order already settled and changes nothing.

import type { Logger } from "../log";
import type { Ledger } from "./ledger";
import type { OrderRow, OrderStore } from "./payment-store";
import { moneyString, parseMoney } from "./plans";
import type { YooPayment, YooRefund } from "./providers/yookassa";
import { createRefunds } from "./refunds";

export const PAYMENT = "payment";
export { PAYMENT_REFUND } from "./refunds";

/** Accounts' subscription seam (`extendTier` extends from the current expiry; idempotent on ref). */
export type TierExtender = {
  extendTier(userId: number, tier: string, days: number, ref: string): unknown;
  /** Takes `days` back from what the grant `grantRef` added (a refund); idempotent on ref. */
  shortenTier?(userId: number, grantRef: string, days: number, ref: string): unknown;
};

/**
 * What settlement did, reported once per change after its transaction committed (receipts, the admin
 * chat). A duplicate delivery changes nothing and reports nothing, so a receipt is never sent twice.
 */
export type SettlementEvent =
  | { type: "credited"; order: OrderRow; paymentId: string }
  | {
      type: "refunded";
      order: OrderRow;
      paymentId: string;
      /** Refunded money in the order's minor units (the whole amount for a full refund). */
      amountMinor: number;
      tokensTaken: number;
      /** False while part of the order's amount is still paid (a partial refund). */
      full: boolean;
    };

export type Outcome =
  | "credited"
  | "duplicate"
  | "canceled"
  | "pending"
  | "mismatch"
  | "unknown"
  | "ignored"
  | "refunded"
  | "partial_refund";

export type SettlementDeps = {
  orders: OrderStore;
  ledger: Pick<Ledger, "post" | "balance">;
  tiers?: TierExtender;
  log: Logger;
  now: () => number;
  /** Called after the commit of a credit or refund (never for a duplicate); must not throw. */
  onSettled?: (e: SettlementEvent) => void;
};

export const paymentRef = (provider: string, paymentId: string) => `${provider}:${paymentId}`;

export function createSettlement({ orders, ledger, tiers, log, now, onSettled }: SettlementDeps) {
  /** Reports a committed change; a hook failure is logged, never undoes or fails the settlement. */
  function report(e: SettlementEvent): void {
    if (!onSettled) return;
    try {
      onSettled(e);
    } catch (err) {
      log.error("settlement_hook_failed", (err as Error).message, { order_id: e.order.id, type: e.type });
    }
  }

  function credit(order: OrderRow, paymentId: string): Outcome {
    const outcome = creditTx(order, paymentId);
    if (outcome === "credited") report({ type: "credited", order: orders.get(order.id) ?? order, paymentId });
    return outcome;
  }

  function creditTx(order: OrderRow, paymentId: string): Outcome {
    const ref = paymentRef(order.provider, paymentId);
    return orders.atomically(() => {
      if (!order.providerPaymentId) orders.attachPayment(order.id, paymentId, null, now());
      // A canceled order whose payment the API now reports succeeded was paid after all: credit it.
      if (!orders.transition(order.id, ["pending", "canceled"], "succeeded", now())) return "duplicate";
      if (order.tokens > 0)
        ledger.post({
          userId: order.userId,
          delta: order.tokens,
          reason: PAYMENT,
          ref,
          actor: "system",
          note: `order ${order.id} (${order.planKey})`,
        });
      if (order.kind === "tier" && order.tier) {
        // create refuses tier plans without the seam, so this is a wiring bug: roll back, answer non-200.
        if (!tiers) throw new Error("payments: a tier order was paid but no tier extender is wired");
        tiers.extendTier(order.userId, order.tier, order.periodDays, ref);
      }
      return "credited";
    });
  }

  /** Acts on a payment object fetched from the API for `order`. */
  function applyPayment(order: OrderRow, p: YooPayment): Outcome {
    const fields = { order_id: order.id, payment_id: p.id, user_id: order.userId };
    const sameOrder = p.metadata?.order_id === order.id;
    const samePayment = order.providerPaymentId === null || order.providerPaymentId === p.id;
    const sameMoney =
      p.amount.value === moneyString(order.amountMinor) && p.amount.currency === order.currency;
    if (!sameOrder || !samePayment || !sameMoney) {
      log.warn("payment_mismatch", "the provider's payment does not match the order", {
        ...fields,
        order_amount: moneyString(order.amountMinor),
        order_currency: order.currency,
        amount: p.amount.value,
        currency: p.amount.currency,
        metadata_order_id: p.metadata?.order_id ?? null,
      });
      return "mismatch";
    }
    if (p.status === "succeeded") {
      // The provider's own word, before our write: an operator reading the log after a crash knows this
      // payment was confirmed, and the reconcile task (or YooKassa's retry) credits it once.
      if (order.status !== "succeeded" && order.status !== "refunded")
        log.info("payment_verified", "the API says succeeded", { ...fields, amount: p.amount.value });
      const outcome = credit(order, p.id);
      if (outcome === "credited")
        log.info("payment_credited", "", {
          ...fields,
          plan: order.planKey,
          tokens: order.tokens,
          amount: p.amount.value,
        });
      return outcome;
    }
    if (p.status === "canceled") {
      if (!order.providerPaymentId) orders.attachPayment(order.id, p.id, null, now());
      const changed = orders.transition(order.id, ["pending"], "canceled", now());
      if (changed)
        log.info("payment_canceled", "", { ...fields, reason: p.cancellation_details?.reason ?? null });
      return changed ? "canceled" : "duplicate";
    }
    return "pending";
  }

  const refunds = createRefunds({ orders, ledger, tiers, log, now });

  /**
   * Acts on a refund fetched from the API: a succeeded refund takes back its share of what the order
   * gave, once per refund id (see refunds.ts); the whole amount reverses the order like `reverse`.
   */
  function applyRefund(r: YooRefund, by: { actor: string; reason?: string } = { actor: "system" }): Outcome {
    if (r.status !== "succeeded") return "ignored";
    const order = orders.byProviderPayment("yookassa", r.payment_id);
    if (!order) return "unknown";
    const fields = { order_id: order.id, payment_id: r.payment_id, refund_id: r.id, user_id: order.userId };
    const amount = parseMoney(r.amount.value);
    if (amount === undefined || r.amount.currency !== order.currency) {
      log.warn("payment_refund_mismatch", "the refund's currency or amount is not the order's", {
        ...fields,
        amount: r.amount.value,
        currency: r.amount.currency,
      });
      return "mismatch";
    }
    const grantRef = paymentRef(order.provider, r.payment_id);
    // A refund of the whole amount keeps the ref a reversal always had (the payment's); a part, its own.
    const ref = amount === order.amountMinor ? grantRef : `${grantRef}:${r.id}`;
    const note = `refund ${r.id} of order ${order.id}${by.reason ? `: ${by.reason}` : ""}`.slice(0, 500);
    return settled(
      refunds.takeBack({
        order,
        paymentId: r.payment_id,
        grantRef,
        ref,
        amountMinor: amount,
        note,
        actor: by.actor,
        fields,
      }),
    );
  }

  /**
   * Order succeeded → refunded: whatever is still paid is refunded, its tokens taken back (never below
   * zero) and a tier plan's days taken off the tier, once.
   */
  function reverse(
    order: OrderRow,
    paymentId: string,
    note: string,
    fields: Record<string, unknown>,
  ): Outcome {
    const ref = paymentRef(order.provider, paymentId);
    const actor = typeof fields.actor === "string" ? fields.actor : "system";
    return settled(refunds.takeBack({ order, paymentId, grantRef: ref, ref, note, actor, fields }));
  }

  const settled = (r: { outcome: Outcome; event?: SettlementEvent }) => {
    if (r.event) report(r.event);
    return r.outcome;
  };

  return { applyPayment, applyRefund, credit, reverse };
}

export type Settlement = ReturnType<typeof createSettlement>;
