// The payments service: orders first, then the provider. `create` writes (or reuses) the order row and
// only then calls YooKassa with an Idempotence-Key derived from that row, so a double click, a retry
// after a 500 or a 202 "processing" all land on the same provider payment. Notifications and the
// reconcile task both re-fetch the payment and settle through settlement.ts.

import { z } from "zod";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { Ledger } from "./ledger";
import { type CreatedPayment, createFailed, openOrNewOrder, returnUrl } from "./orders";
import type { OrderCounts, OrderRow, OrderStore, PaymentDay } from "./payment-store";
import {
  createPaymentsAdmin,
  type OrderMoneyState,
  type ProviderRecord,
  type StoredSettlement,
} from "./payments-admin";
import { moneyString, type Plans } from "./plans";
import type { PlategaPayments } from "./platega";
import type { CreatePaymentBody, YooKassa, YooPayment } from "./providers/yookassa";
import {
  createSettlement,
  type Outcome,
  type Settlement,
  type SettlementEvent,
  type TierExtender,
} from "./settlement";
import { createYooKassaRefunds, type RefundRequest } from "./yookassa-refund";

export type PaymentsDeps = {
  orders: OrderStore;
  plans: Plans;
  ledger: Pick<Ledger, "post" | "balance" | "entry">;
  /** Undefined when MM_YOOKASSA_SHOP_ID / SECRET_KEY / MM_PUBLIC_URL are not all set: payments are off. */
  yookassa?: YooKassa;
  /** Undefined when MM_PLATEGA_MERCHANT_ID / SECRET / MM_PUBLIC_URL are not all set (built on `settle`). */
  platega?: (settle: Settlement) => PlategaPayments;
  tiers?: TierExtender;
  /** The buyer's e-mail for the 54-FZ receipt. */
  emailOf: (userId: number) => string | null | undefined;
  publicUrl: string;
  receipts: boolean;
  vatCode: number;
  reconcileMin: number;
  log: Logger;
  now?: () => number;
  /** Receipts and the admin notice: called once per credit or refund, after it committed. */
  onSettled?: (e: SettlementEvent) => void;
};

/** YooKassa keeps an Idempotence-Key for 24 h; past that a repeat would create a new payment. */
const KEY_LIFETIME_MS = 23 * 3600_000;

const Notification = z.object({
  type: z.literal("notification"),
  event: z.string().min(1).max(64),
  object: z.looseObject({ id: z.string().min(1).max(64) }),
});

export interface Payments {
  /** Providers that can take payments now. */
  providers(): string[];
  create(userId: number, planKey: string, provider?: string): Promise<CreatedPayment>;
  /** The caller's order; another user's id answers order_not_found like an unknown one. */
  order(userId: number, id: string): OrderRow;
  /** A YooKassa notification body: re-fetched and settled. Throws ProviderError when the API is down. */
  yookassaNotification(body: unknown): Promise<Outcome>;
  /** An authenticated Platega callback body: re-fetched and settled. Throws ProviderError when the API is down. */
  plategaCallback(body: unknown): Promise<Outcome>;
  /** Any order by id, for operators (the admin CLI and panel); undefined when unknown. */
  find(id: string): OrderRow | undefined;
  /**
   * Refunds a paid order through its provider: YooKassa (POST /v3/refunds, the whole rest or a part) or
   * Platega (its cancel, whole only); a Stars order goes through StarsPayments.refund. Throws
   * order_not_found / order_not_refundable / refund_amount_invalid / refund_partial_unsupported /
   * refund_in_progress / refund_provider_failed / platega_refund_failed / platega_refund_manual.
   */
  refund(orderId: string, actor: string, req?: RefundRequest): Promise<Outcome>;
  /** Re-fetches orders pending longer than MM_PAYMENT_RECONCILE_MIN (YooKassa and Platega). */
  reconcile(): Promise<{ checked: number; settled: number; errors: number }>;
  /**
   * Re-fetches one order's payment now and settles it, whatever its age (the admin panel). Throws
   * order_not_found, order_not_reconcilable (Stars: Telegram has nothing to re-fetch), payments_unavailable
   * (the provider is not configured) or provider_request_failed (502: the API did not answer).
   */
  reconcileOne(orderId: string): Promise<Outcome>;
  /**
   * The order's object as its provider has it now (YooKassa payment + its refunds, Platega transaction),
   * or for Stars the stored charge; credentials never appear in it. Throws like reconcileOne.
   */
  providerRecord(orderId: string): Promise<ProviderRecord>;
  /** An order's status, refunds so far and its buyer's balance (an audit row's before/after). */
  moneyState(orderId: string): OrderMoneyState | undefined;
  /** The order's refunds and the ledger rows of its credit and reversals. */
  stored(orderId: string): StoredSettlement;
  stats(): OrderCounts;
  /** Orders created/paid and money paid/refunded in [start, end) (the daily stats row). */
  daySummary(start: number, end: number): PaymentDay;
}

export const idempotenceKey = (order: Pick<OrderRow, "id">) => `order:${order.id}:create`;

export function createPayments(d: PaymentsDeps): Payments {
  const now = d.now ?? Date.now;
  const { orders, log } = d;
  const settle = createSettlement({
    orders,
    ledger: d.ledger,
    tiers: d.tiers,
    log,
    now,
    onSettled: d.onSettled,
  });
  const platega = d.platega?.(settle);
  const providers = () => [...(d.yookassa ? ["yookassa"] : []), ...(platega ? ["platega"] : [])];

  /** The create body, built from the order row alone, so a repeat (reconcile) sends the same bytes. */
  function bodyOf(order: OrderRow, label: string): CreatePaymentBody {
    const value = moneyString(order.amountMinor);
    const amount = { value, currency: order.currency };
    const email = d.emailOf(order.userId);
    return {
      amount,
      capture: true,
      confirmation: { type: "redirect", return_url: returnUrl(d.publicUrl, order) },
      description: `${label}, заказ ${order.id.slice(0, 8)}`.slice(0, 128),
      metadata: { order_id: order.id, user_id: String(order.userId), plan: order.planKey },
      ...(d.receipts && email
        ? {
            receipt: {
              customer: { email },
              items: [
                {
                  description: label.slice(0, 128),
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

  const labelOf = (order: OrderRow) => d.plans.get(order.planKey)?.labelRu ?? order.planKey;

  async function callCreate(yk: YooKassa, order: OrderRow): Promise<YooPayment> {
    try {
      return await yk.createPayment(bodyOf(order, labelOf(order)), idempotenceKey(order));
    } catch (err) {
      throw createFailed({ orders, log, now }, order, err);
    }
  }

  function attach(order: OrderRow, p: YooPayment): OrderRow {
    if (p.metadata?.order_id !== order.id)
      throw new AppError(
        "payment_provider_refused",
        502,
        {},
        new Error(`payment ${p.id} names another order`),
      );
    const row = orders.attachPayment(order.id, p.id, p.confirmation?.confirmation_url ?? null, now());
    if (!row || row.providerPaymentId !== p.id)
      throw new AppError(
        "payment_provider_refused",
        502,
        {},
        new Error(`order ${order.id} has another payment`),
      );
    return row;
  }

  /** Re-fetches one YooKassa order's payment (re-sending a lost create with its key) and settles it. */
  async function reconcileYooKassa(yk: YooKassa, order: OrderRow): Promise<Outcome> {
    let paymentId = order.providerPaymentId;
    if (!paymentId) {
      if (order.status !== "pending") return "pending";
      if (now() - order.createdAt >= KEY_LIFETIME_MS) {
        orders.transition(order.id, ["pending"], "canceled", now());
        log.info("payment_expired", "no provider payment within a day", { order_id: order.id });
        return "canceled";
      }
      // The create's answer was lost (500, timeout): the same key returns the payment it made.
      const created = await yk.createPayment(bodyOf(order, labelOf(order)), idempotenceKey(order));
      paymentId = attach(order, created).providerPaymentId ?? created.id;
    }
    const p = await yk.getPayment(paymentId);
    if (!p) return "unknown";
    const outcome = settle.applyPayment(orders.get(order.id) ?? order, p);
    log.info("payment_reconciled", "", { order_id: order.id, payment_id: p.id, status: p.status, outcome });
    return outcome;
  }

  const ykRefunds =
    d.yookassa &&
    createYooKassaRefunds({
      orders,
      yk: d.yookassa,
      settle,
      log,
      emailOf: d.emailOf,
      receipts: d.receipts,
      vatCode: d.vatCode,
      labelOf,
    });

  const admin = createPaymentsAdmin({
    orders,
    yookassa: d.yookassa,
    platega,
    reconcileYooKassa,
    balance: d.ledger.balance,
    entry: d.ledger.entry,
  });

  return {
    providers,
    async create(userId, planKey, provider = providers()[0] ?? "yookassa") {
      const plan = d.plans.get(planKey);
      if (!plan?.active) throw new AppError("plan_not_found", 404, { plan: planKey });
      if (plan.kind === "tier" && !d.tiers) throw new AppError("plan_unavailable", 503, { plan: planKey });
      if (provider === "platega" && platega) return platega.create(userId, plan);
      const yk = d.yookassa;
      if (provider !== "yookassa" || !yk) throw new AppError("payments_unavailable", 503, { provider });
      if (d.receipts && !d.emailOf(userId)) throw new AppError("receipt_email_required", 400);
      const t = now();
      const order = openOrNewOrder(orders, { userId, plan, provider, amountMinor: plan.amountMinor, now: t });
      if (order.providerPaymentId && order.confirmationUrl)
        return { order, paymentId: order.providerPaymentId, confirmationUrl: order.confirmationUrl };
      const p = await callCreate(yk, order);
      const row = attach(order, p);
      log.info("payment_created", "", {
        order_id: order.id,
        user_id: userId,
        payment_id: p.id,
        plan: plan.key,
      });
      const url = row.confirmationUrl;
      if (!url)
        throw new AppError(
          "payment_provider_refused",
          502,
          {},
          new Error(`payment ${p.id} has no confirmation URL`),
        );
      return { order: row, paymentId: p.id, confirmationUrl: url };
    },
    order(userId, id) {
      const o = orders.get(id);
      if (!o || o.userId !== userId) throw new AppError("order_not_found", 404);
      return o;
    },
    async yookassaNotification(body) {
      const n = Notification.safeParse(body);
      if (!n.success) throw new AppError("invalid_notification", 400);
      const yk = d.yookassa;
      const { event, object } = n.data;
      const done = (outcome: Outcome, extra: Record<string, unknown> = {}) => {
        log.info("payment_notification", event, {
          notification: event,
          object_id: object.id,
          outcome,
          ...extra,
        });
        return outcome;
      };
      if (!yk) return done("ignored", { reason: "yookassa is off" });
      if (event === "refund.succeeded") {
        const r = await yk.getRefund(object.id);
        return done(r ? settle.applyRefund(r) : "unknown");
      }
      if (!event.startsWith("payment.")) return done("ignored");
      const p = await yk.getPayment(object.id);
      if (!p) return done("unknown");
      const order =
        (p.metadata?.order_id ? orders.get(p.metadata.order_id) : undefined) ??
        orders.byProviderPayment("yookassa", p.id);
      if (!order) return done("unknown", { metadata_order_id: p.metadata?.order_id ?? null });
      return done(settle.applyPayment(order, p), { order_id: order.id, status: p.status });
    },
    find: (id) => orders.get(id),
    async refund(orderId, actor, req = {}) {
      const o = orders.get(orderId);
      if (!o) throw new AppError("order_not_found", 404);
      if (o.provider === "yookassa" && ykRefunds) return ykRefunds.refund(orderId, req, actor);
      if (o.provider === "platega" && platega) {
        // Platega's cancel refunds the whole transaction.
        const left = o.amountMinor - orders.refundTotals(o.id).amountMinor;
        if (req.amountMinor !== undefined && req.amountMinor !== left)
          throw new AppError("refund_partial_unsupported", 400, { provider: "Platega" });
        return platega.refund(orderId, actor);
      }
      throw new AppError("order_not_refundable", 409);
    },
    reconcileOne: admin.reconcileOne,
    moneyState: admin.moneyState,
    stored: admin.stored,
    providerRecord: admin.providerRecord,
    async plategaCallback(body) {
      if (!platega) throw new AppError("invalid_notification", 400);
      return platega.callback(body);
    },
    async reconcile() {
      const yk = d.yookassa;
      const out = platega ? await platega.reconcile() : { checked: 0, settled: 0, errors: 0 };
      if (!yk) return out;
      for (const order of orders.pendingBefore("yookassa", now() - d.reconcileMin * 60_000, 200)) {
        out.checked++;
        try {
          const outcome = await reconcileYooKassa(yk, order);
          if (outcome === "credited" || outcome === "canceled") out.settled++;
        } catch (err) {
          out.errors++;
          log.warn("payment_reconcile_failed", (err as Error).message, { order_id: order.id });
        }
      }
      return out;
    },
    stats: () => orders.counts(),
    daySummary: (start, end) => orders.daySummary(start, end),
  };
}
