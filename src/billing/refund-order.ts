// The operator's refund of one order, whichever provider took it: the one call behind the admin panel's
// POST /api/admin/payments/:id/refund, `magic-master admin refund <order>` and the bot's admin /refund.
// YooKassa is refunded through its API (the whole rest or a part), Platega through its cancel, a Stars
// order through the Bot API's refundStarPayment; each then reverses the order once through settlement.
// Every attempt is audited here, with the actor, its address (HTTP) and the order's money before/after,
// so the three edges cannot drift apart in what they record.

import type { Actor, AuditLog } from "../db";
import { AppError, isAppError } from "../errors";
import type { Payments } from "./payments";
import type { OrderMoneyState } from "./payments-admin";
import type { Outcome } from "./settlement";
import type { StarsPayments } from "./stars";
import type { RefundRequest } from "./yookassa-refund";

export type RefundOrderDeps = {
  payments: Pick<Payments, "find" | "refund" | "moneyState">;
  stars: Pick<StarsPayments, "refund">;
  /** The buyer's Telegram id (a Stars refund is addressed to it). */
  telegramIdOf: (userId: number) => string | null | undefined;
  /** The Bot API's refundStarPayment; absent without a bot token (a Stars refund then fails). */
  refundStar?: (telegramUserId: number, chargeId: string) => Promise<unknown>;
  audit: Pick<AuditLog, "record">;
  /** The audit action (default payment_refund; a failure is <action>_failed). */
  auditAction?: string;
};

export type OperatorRefund = RefundRequest & {
  /**
   * The number this refund would get (the order's refunds so far + 1, as the operator's page showed):
   * a page that is out of date gets refund_stale instead of a second refund.
   */
  refundNo?: number;
};

export type RefundResult = {
  outcome: Outcome;
  provider: string | null;
  before?: OrderMoneyState;
  after?: OrderMoneyState;
};

export async function refundOrder(
  d: RefundOrderDeps,
  orderId: string,
  by: string | Actor,
  req: OperatorRefund = {},
): Promise<RefundResult> {
  const { actor, ip } = typeof by === "string" ? { actor: by, ip: null } : by;
  const order = d.payments.find(orderId);
  const provider = order?.provider ?? null;
  const before = d.payments.moneyState(orderId);
  const action = d.auditAction ?? "payment_refund";
  const details = {
    provider,
    ...(req.amountMinor !== undefined ? { amount_minor: req.amountMinor } : {}),
    ...(req.reason ? { reason: req.reason } : {}),
  };
  const record = (name: string, extra: Record<string, unknown>, after?: OrderMoneyState) =>
    d.audit.record({
      actor,
      ip,
      action: name,
      target: `order:${orderId}`,
      details: { ...details, ...extra },
      before,
      after,
    });
  try {
    if (!before || !order) throw new AppError("order_not_found", 404);
    if (req.refundNo !== undefined && req.refundNo !== before.refunds + 1 && before.status !== "refunded")
      throw new AppError("refund_stale", 409, { refunds: before.refunds });
    // Platega and Stars refund the whole payment only: an amount is accepted when it is all of it.
    const whole =
      req.amountMinor === undefined || req.amountMinor === order.amountMinor - before.refunded_minor;
    if (provider !== "yookassa" && !whole)
      throw new AppError("refund_partial_unsupported", 400, {
        provider: provider === "platega" ? "Platega" : "Telegram Stars",
      });
    const outcome = await run(
      d,
      orderId,
      provider,
      actor,
      provider === "yookassa" ? req : { reason: req.reason },
    );
    const after = d.payments.moneyState(orderId);
    record(action, { outcome }, after);
    return { outcome, provider, before, after };
  } catch (err) {
    record(`${action}_failed`, { code: isAppError(err) ? err.code : "internal_error" });
    throw err;
  }
}

function run(
  d: RefundOrderDeps,
  orderId: string,
  provider: string | null,
  actor: string,
  req: RefundRequest,
) {
  if (provider === "yookassa" || provider === "platega") return d.payments.refund(orderId, actor, req);
  if (!d.refundStar) throw new AppError("refund_failed", 502);
  return d.stars.refund(orderId, d.telegramIdOf, d.refundStar, actor);
}
