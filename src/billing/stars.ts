// Telegram Stars (XTR) orders for the bot: the order row first (provider "stars", the plan's Stars price,
// copied), an invoice whose payload names it, a pre-checkout check answered from the database alone (the
// Bot API wants the answer within 10 s), and the credit on `successful_payment` keyed on Telegram's
// `telegram_payment_charge_id` (ledger ref stars:<charge id>, unique), so a re-delivered update credits once.
// Telegram itself is the proof here: successful_payment only comes from the Bot API to our own bot.

import { AppError } from "../errors";
import type { Logger } from "../log";
import type { Ledger } from "./ledger";
import { openOrNewOrder } from "./orders";
import type { OrderRow, OrderStore } from "./payment-store";
import type { PlanRow, Plans } from "./plans";
import { createSettlement, type Outcome, type SettlementEvent, type TierExtender } from "./settlement";

export const STARS = "stars";

export type StarsDeps = {
  orders: OrderStore;
  plans: Plans;
  ledger: Pick<Ledger, "post" | "balance">;
  tiers?: TierExtender;
  log: Logger;
  now?: () => number;
  /** Receipts and the admin notice (see PaymentsDeps.onSettled). */
  onSettled?: (e: SettlementEvent) => void;
};

/** What Telegram says about a checkout (pre_checkout_query or successful_payment). */
export type StarsCheckout = { userId: number; payload: string; currency: string; totalAmount: number };

export interface StarsPayments {
  /** Plans sold for Stars (a Stars price set, active). */
  plans(): PlanRow[];
  /** The user's open Stars order of the plan (reused for an hour) or a new one. */
  order(userId: number, planKey: string): OrderRow;
  /** The invoice payload of an order. */
  payloadOf(order: OrderRow): string;
  /** null when the checkout may go on, else the i18n code of the refusal shown to the buyer. */
  preCheckout(c: StarsCheckout): string | null;
  /** Credits once per charge id; "mismatch" when the payment does not match an open order of the user. */
  paid(c: StarsCheckout & { chargeId: string }): Outcome;
  /**
   * Refunds a paid Stars order: `refundStar(telegram user id, charge id)` (the Bot API's
   * refundStarPayment) first, then the ledger reversal, once. A charge Telegram already refunded
   * (CHARGE_ALREADY_REFUNDED) still gets its reversal, so a retry after a crash completes it.
   */
  refund(
    orderId: string,
    telegramIdOf: (userId: number) => string | null | undefined,
    refundStar: (telegramUserId: number, chargeId: string) => Promise<unknown>,
    actor: string,
  ): Promise<Outcome>;
}

export function createStarsPayments(d: StarsDeps): StarsPayments {
  const now = d.now ?? Date.now;
  const settle = createSettlement({
    orders: d.orders,
    ledger: d.ledger,
    tiers: d.tiers,
    log: d.log,
    now,
    onSettled: d.onSettled,
  });
  const orderOfPayload = (payload: string) => {
    const m = /^order:([0-9a-f-]{36})$/.exec(payload);
    return m ? d.orders.get(m[1] as string) : undefined;
  };
  /** The order the checkout is for, if it matches: same user, XTR, the order's exact Stars amount. */
  function matching(c: StarsCheckout): OrderRow | undefined {
    const o = orderOfPayload(c.payload);
    if (!o || o.provider !== STARS || o.userId !== c.userId) return undefined;
    if (c.currency !== "XTR" || c.totalAmount * 100 !== o.amountMinor) return undefined;
    return o;
  }
  return {
    plans: () => d.plans.list().filter((p) => p.stars !== null && p.stars > 0),
    order(userId, planKey) {
      const plan = d.plans.get(planKey);
      if (!plan?.active || !plan.stars) throw new AppError("plan_not_found", 404, { plan: planKey });
      if (plan.kind === "tier" && !d.tiers) throw new AppError("plan_unavailable", 503, { plan: planKey });
      const amountMinor = plan.stars * 100;
      return openOrNewOrder(d.orders, {
        userId,
        plan,
        provider: STARS,
        amountMinor,
        currency: "XTR",
        now: now(),
      });
    },
    payloadOf: (o) => `order:${o.id}`,
    preCheckout(c) {
      const o = matching(c);
      if (!o) return "stars_order_invalid";
      if (o.status !== "pending") return "stars_order_closed";
      return null;
    },
    paid(c) {
      const o = matching(c);
      const fields = { user_id: c.userId, charge_id: c.chargeId, payload: c.payload, amount: c.totalAmount };
      if (!o) {
        // Telegram took the Stars but the order does not match: the operator refunds (admin refund).
        d.log.error("stars_payment_unmatched", "a successful_payment names no matching order", fields);
        return "mismatch";
      }
      const outcome = settle.credit(o, c.chargeId);
      d.log.info(outcome === "credited" ? "payment_credited" : "payment_notification", "stars", {
        ...fields,
        order_id: o.id,
        provider: STARS,
        outcome,
      });
      return outcome;
    },
    async refund(orderId, telegramIdOf, refundStar, actor) {
      const o = d.orders.get(orderId);
      if (!o || o.provider !== STARS) throw new AppError("order_not_found", 404);
      if (o.status === "refunded") return "duplicate";
      const chargeId = o.providerPaymentId;
      const tg = telegramIdOf(o.userId);
      if (o.status !== "succeeded" || !chargeId || !tg) throw new AppError("order_not_refundable", 409);
      try {
        await refundStar(Number(tg), chargeId);
      } catch (err) {
        if (!/CHARGE_ALREADY_REFUNDED/.test(String((err as Error).message)))
          throw new AppError("refund_failed", 502, {}, err);
      }
      const fields = { order_id: o.id, user_id: o.userId, charge_id: chargeId, provider: STARS, actor };
      return settle.reverse(o, chargeId, `stars refund by ${actor} of order ${o.id}`, fields);
    },
  };
}
