// Orders every provider shares (YooKassa, Platega, Stars): the open order of a plan reused for an hour, or
// a new row copying the plan's figures; what a created payment answers; and where the buyer comes back.

import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { OrderRow, OrderStore } from "./payment-store";
import type { PlanRow } from "./plans";
import { ProviderError } from "./providers/yookassa";

/** A pending order of the same plan is reused for this long (a double click, a second tab, a retry). */
export const REUSE_MS = 60 * 60_000;

export type CreatedPayment = { order: OrderRow; paymentId: string; confirmationUrl: string };

/**
 * The user's open order of this plan and provider (a pending one younger than an hour at the same price),
 * or a new one copying the plan's figures. A price edited since makes a new order; the open one keeps its own.
 */
export function openOrNewOrder(
  orders: OrderStore,
  o: { userId: number; plan: PlanRow; provider: string; amountMinor: number; currency?: string; now: number },
): OrderRow {
  const currency = o.currency ?? o.plan.currency;
  return orders.atomically(() => {
    const open = orders.openOrder(o.userId, o.plan.key, o.provider, o.now - REUSE_MS);
    if (open && open.amountMinor === o.amountMinor && open.currency === currency) return open;
    return orders.insert({
      id: randomUUID(),
      userId: o.userId,
      planKey: o.plan.key,
      kind: o.plan.kind,
      tier: o.plan.tier,
      periodDays: o.plan.periodDays,
      tokens: o.plan.tokens,
      amountMinor: o.amountMinor,
      currency,
      provider: o.provider,
      createdAt: o.now,
      updatedAt: o.now,
    });
  });
}

/** Where a provider sends the buyer back: built from MM_PUBLIC_URL, never from the client. */
export const returnUrl = (publicUrl: string, order: Pick<OrderRow, "id">) =>
  `${publicUrl.replace(/\/+$/, "")}/?order=${order.id}`;

/**
 * A provider refused or failed to create the order's payment: the error is kept on the order and logged,
 * and the caller gets 503 when a retry may work (network, 5xx) or 502 when the provider said no.
 */
export function createFailed(
  d: { orders: OrderStore; log: Logger; now: () => number },
  order: OrderRow,
  err: unknown,
  provider?: string,
): AppError {
  const e = err instanceof ProviderError ? err : new ProviderError(String(err), true);
  d.orders.noteError(order.id, e.message, d.now());
  d.log.warn("payment_create_failed", e.message, {
    order_id: order.id,
    user_id: order.userId,
    ...(provider ? { provider } : {}),
    transient: e.transient,
  });
  return e.transient
    ? new AppError("payment_provider_unavailable", 503, {}, e)
    : new AppError("payment_provider_refused", 502, {}, e);
}
