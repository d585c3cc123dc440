// Refunds of YooKassa orders through its API (POST /v3/refunds, payments-wire.md §1.5): the whole of what
// is still paid, or a part. The Idempotence-Key is derived from the order and the refund's number (the
// order's recorded refunds + 1), so a double click, a retry after a 500 or a lost answer all land on the
// one provider refund, while the next refund of the same order gets a new key. The answer is acted on at
// once when it is `succeeded` (settlement.applyRefund: the ledger reversal once, partial ones
// proportional); YooKassa's refund.succeeded notification is re-fetched and then finds it done. A
// `pending` refund is settled by that notification.

import { AppError } from "../errors";
import type { Logger } from "../log";
import type { OrderRow, OrderStore } from "./payment-store";
import { moneyString } from "./plans";
import { type CreateRefundBody, ProviderError, type YooKassa, type YooRefund } from "./providers/yookassa";
import type { Outcome, Settlement } from "./settlement";

export type YooKassaRefundDeps = {
  orders: OrderStore;
  yk: YooKassa;
  settle: Settlement;
  log: Logger;
  /** The buyer's e-mail for the refund receipt (54-FZ) when receipts are on. */
  emailOf: (userId: number) => string | null | undefined;
  receipts: boolean;
  vatCode: number;
  labelOf: (order: OrderRow) => string;
};

/** What the operator asks for: a part in minor units (undefined: all that is still paid) and why. */
export type RefundRequest = { amountMinor?: number; reason?: string };

/** YooKassa limits a refund's description to 250 characters. */
const DESCRIPTION_MAX = 250;

export const refundIdempotenceKey = (order: Pick<OrderRow, "id">, n: number) =>
  `order:${order.id}:refund:${n}`;

export function createYooKassaRefunds(d: YooKassaRefundDeps) {
  const { orders, log } = d;
  /** One refund call per order at a time: a second identical request joins it, another is refused. */
  const inFlight = new Map<string, { amount: number; done: Promise<Outcome> }>();

  // The operator's reason stays ours (audit, ledger note): the description is shown to the buyer.
  function bodyOf(order: OrderRow, amountMinor: number): CreateRefundBody {
    const amount = { value: moneyString(amountMinor), currency: order.currency };
    const email = d.emailOf(order.userId);
    const label = d.labelOf(order).slice(0, 128);
    return {
      payment_id: order.providerPaymentId ?? "",
      amount,
      description: `Возврат, заказ ${order.id.slice(0, 8)}`.slice(0, DESCRIPTION_MAX),
      ...(d.receipts && email
        ? {
            receipt: {
              customer: { email },
              items: [
                {
                  description: label,
                  quantity: "1.00",
                  amount,
                  vat_code: d.vatCode,
                  payment_mode: "full_payment",
                  payment_subject: "service",
                },
              ],
            },
          }
        : {}),
    };
  }

  async function call(
    order: OrderRow,
    key: string,
    body: CreateRefundBody,
    actor: string,
    reason: string | undefined,
  ): Promise<Outcome> {
    const fields = { order_id: order.id, payment_id: order.providerPaymentId, user_id: order.userId, actor };
    let r: YooRefund;
    try {
      r = await d.yk.createRefund(body, key);
    } catch (err) {
      const e = err instanceof ProviderError ? err : new ProviderError(String(err), true);
      log.warn("payment_refund_failed", e.message, {
        ...fields,
        idempotence_key: key,
        transient: e.transient,
      });
      throw new AppError(
        "refund_provider_failed",
        502,
        { provider: "YooKassa", detail: e.code ?? String(e.status ?? "no answer") },
        e,
      );
    }
    log.info("payment_refund_requested", r.status, { ...fields, refund_id: r.id, amount: r.amount.value });
    if (r.payment_id !== order.providerPaymentId)
      throw new AppError("refund_provider_failed", 502, { provider: "YooKassa", detail: "another payment" });
    if (r.status === "canceled")
      throw new AppError("refund_canceled", 409, { reason: r.cancellation_details?.reason ?? "—" });
    if (r.status === "pending") return "pending";
    const outcome = d.settle.applyRefund(r, { actor, reason });
    if (outcome !== "duplicate") return outcome;
    // This very refund's notification got here first (an answer lost and repeated): it did the reversal.
    return orders.get(order.id)?.status === "refunded" ? "refunded" : "partial_refund";
  }

  return {
    async refund(orderId: string, req: RefundRequest, actor: string): Promise<Outcome> {
      const order = orders.get(orderId);
      if (order?.provider !== "yookassa") throw new AppError("order_not_found", 404);
      if (order.status === "refunded") return "duplicate";
      if (order.status !== "succeeded" || !order.providerPaymentId)
        throw new AppError("order_not_refundable", 409);
      const running = inFlight.get(order.id);
      const totals = orders.refundTotals(order.id);
      const left = order.amountMinor - totals.amountMinor;
      const amount = req.amountMinor ?? left;
      if (running) {
        if (running.amount === amount) return running.done;
        throw new AppError("refund_in_progress", 409);
      }
      if (!Number.isInteger(amount) || amount <= 0 || amount > left)
        throw new AppError("refund_amount_invalid", 400, {
          max: moneyString(left),
          currency: order.currency,
        });
      const key = refundIdempotenceKey(order, totals.count + 1);
      const done = call(order, key, bodyOf(order, amount), actor, req.reason).finally(() =>
        inFlight.delete(order.id),
      );
      inFlight.set(order.id, { amount, done });
      return done;
    },
  };
}
