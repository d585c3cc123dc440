// The operator's refund of one order, whichever provider took it: the one call behind
// `magic-master admin refund <order>` and the bot's admin /refund. Platega is refunded through its API
// (Payments.refund), a Stars order through the Bot API's refundStarPayment (StarsPayments.refund); both
// then reverse the order once through settlement. YooKassa refunds are made in its dashboard and arrive
// as refund.succeeded notifications, so they are refused here (order_not_found / order_not_refundable).

import { AppError } from "../errors";
import type { Payments } from "./payments";
import type { Outcome } from "./settlement";
import type { StarsPayments } from "./stars";

export type RefundOrderDeps = {
  payments: Pick<Payments, "find" | "refund">;
  stars: Pick<StarsPayments, "refund">;
  /** The buyer's Telegram id (a Stars refund is addressed to it). */
  telegramIdOf: (userId: number) => string | null | undefined;
  /** The Bot API's refundStarPayment; absent without a bot token (a Stars refund then fails). */
  refundStar?: (telegramUserId: number, chargeId: string) => Promise<unknown>;
};

export async function refundOrder(
  d: RefundOrderDeps,
  orderId: string,
  actor: string,
): Promise<{ outcome: Outcome; provider: string | null }> {
  const provider = d.payments.find(orderId)?.provider ?? null;
  if (provider === "platega") return { outcome: await d.payments.refund(orderId, actor), provider };
  if (!d.refundStar) throw new AppError("refund_failed", 502);
  return { outcome: await d.stars.refund(orderId, d.telegramIdOf, d.refundStar, actor), provider };
}
