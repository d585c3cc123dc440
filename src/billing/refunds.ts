// Taking back what a paid order gave, once per provider refund. A refund's share of the order's amount
// decides what it takes, counted cumulatively over the order's refunds (order_refunds): tokens and, for a
// tier plan, days of the tier, both rounded to the nearest whole one, so partial refunds that add up to
// the whole amount take back exactly the order's tokens and period — and a full refund everything left.
// Tokens already spent stay spent (the balance never goes below zero; the shortfall is logged and kept
// in the refund row). When the refunds reach the whole amount the order moves succeeded → refunded.

import type { Logger } from "../log";
import type { Ledger } from "./ledger";
import type { OrderRow, OrderStore } from "./payment-store";
import type { Outcome, SettlementEvent, TierExtender } from "./settlement";

export const PAYMENT_REFUND = "payment_refund";

export type RefundDeps = {
  orders: OrderStore;
  ledger: Pick<Ledger, "post" | "balance">;
  tiers?: TierExtender;
  log: Logger;
  now: () => number;
};

export type TakeBack = {
  order: OrderRow;
  /** The provider payment refunded. */
  paymentId: string;
  /** The ref its credit and tier grant were keyed on (paymentRef(provider, paymentId)). */
  grantRef: string;
  /** Unique per provider refund; the ledger row's ref too. */
  ref: string;
  /** This refund's money in minor units; undefined: whatever is still paid (a full refund). */
  amountMinor?: number;
  note: string;
  actor: string;
  fields: Record<string, unknown>;
};

/** The cumulative share of `total` once `refunded` of `amount` has been refunded. */
export const shareOf = (total: number, refunded: number, amount: number): number =>
  refunded >= amount ? total : Math.round((total * refunded) / amount);

export function createRefunds({ orders, ledger, tiers, log, now }: RefundDeps) {
  /** One refund, in one transaction; the event to report once it committed (none for a duplicate). */
  function takeBack(t: TakeBack): { outcome: Outcome; event?: SettlementEvent } {
    const { order, fields } = t;
    let event: SettlementEvent | undefined;
    const outcome = orders.atomically((): Outcome => {
      const cur = orders.get(order.id) ?? order;
      if (cur.status !== "succeeded" || orders.refundByRef(t.ref)) return "duplicate";
      const prev = orders.refundTotals(order.id);
      const amount = t.amountMinor ?? order.amountMinor - prev.amountMinor;
      const refunded = prev.amountMinor + amount;
      if (amount <= 0 || refunded > order.amountMinor) {
        log.warn("payment_refund_mismatch", "the refund exceeds what is still paid", {
          ...fields,
          amount_minor: amount,
          refunded_before_minor: prev.amountMinor,
          order_amount_minor: order.amountMinor,
        });
        return "mismatch";
      }
      const full = refunded === order.amountMinor;
      if (full && !orders.transition(order.id, ["succeeded"], "refunded", now())) return "duplicate";
      const tokensDue = shareOf(order.tokens, refunded, order.amountMinor) - prev.tokensDue;
      const daysDue =
        order.kind === "tier" && order.tier
          ? shareOf(order.periodDays, refunded, order.amountMinor) - prev.daysDue
          : 0;
      const take = Math.min(Math.max(0, tokensDue), Math.max(0, ledger.balance(order.userId)));
      if (take > 0)
        ledger.post({
          userId: order.userId,
          delta: -take,
          reason: PAYMENT_REFUND,
          ref: t.ref,
          actor: t.actor,
          note: t.note,
        });
      if (daysDue > 0) {
        if (!tiers?.shortenTier) throw new Error("payments: a tier refund but no tier shortener is wired");
        tiers.shortenTier(order.userId, t.grantRef, daysDue, `refund:${t.ref}`);
      }
      orders.recordRefund({
        orderId: order.id,
        ref: t.ref,
        amountMinor: amount,
        currency: order.currency,
        tokensDue,
        tokensTaken: take,
        daysDue,
        actor: t.actor,
        createdAt: now(),
      });
      log.info(full ? "payment_refunded" : "payment_partial_refund", "", {
        ...fields,
        amount_minor: amount,
        refunded_minor: refunded,
        tokens_taken: take,
        tokens_spent: tokensDue - take,
        days_taken: daysDue,
      });
      event = {
        type: "refunded",
        order: orders.get(order.id) ?? order,
        paymentId: t.paymentId,
        amountMinor: amount,
        tokensTaken: take,
        full,
      };
      return full ? "refunded" : "partial_refund";
    });
    return { outcome, event };
  }
  return { takeBack };
}
