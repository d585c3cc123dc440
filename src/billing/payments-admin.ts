// The payments service's operator calls beside refunds: reconcile one order now (whatever its age) and
// show what its provider says about it now. Both re-fetch with our credentials; a provider that does not
// answer is a 502 naming it, and nothing is changed then.

import { AppError, isAppError } from "../errors";
import type { OrderRow, OrderStore, RefundRow } from "./payment-store";
import type { PlategaPayments } from "./platega";
import { ProviderError, type YooKassa } from "./providers/yookassa";
import { withoutSecrets } from "./redact";
import { type Outcome, PAYMENT, PAYMENT_REFUND, paymentRef } from "./settlement";
import { STARS } from "./stars";
import type { LedgerRow } from "./store";

/** What a provider says about an order now ("provider"), or what we keep of a Stars charge ("stored"). */
export type ProviderRecord = { source: "provider" | "stored"; object: unknown; refunds: unknown[] };

export type PaymentsAdminDeps = {
  orders: OrderStore;
  yookassa?: YooKassa;
  platega?: PlategaPayments;
  /** payments.ts's re-fetch and settle of one YooKassa order (the reconcile task's step). */
  reconcileYooKassa: (yk: YooKassa, order: OrderRow) => Promise<Outcome>;
  balance: (userId: number) => number;
  /** The ledger's entry (reason, ref). */
  entry: (reason: string, ref: string) => LedgerRow | undefined;
};

/** What we keep of an order's settlement: its refunds and the ledger rows they and the credit wrote. */
export type StoredSettlement = { refunds: RefundRow[]; ledger: LedgerRow[] };

/** An order's money as an audit row's before/after: its status, what was refunded, the buyer's balance. */
export type OrderMoneyState = {
  status: string;
  refunded_minor: number;
  refunds: number;
  balance: number;
};

const NAMES: Record<string, string> = { yookassa: "YooKassa", platega: "Platega" };

/** A provider call that got no usable answer: 502 naming the provider and what it said. */
const unanswered = (provider: string, err: unknown) => {
  const e = err instanceof ProviderError ? err : new ProviderError(String(err), true);
  return new AppError(
    "provider_request_failed",
    502,
    { provider: NAMES[provider] ?? provider, detail: e.code ?? String(e.status ?? "no answer") },
    e,
  );
};

export function createPaymentsAdmin(d: PaymentsAdminDeps) {
  const { orders, platega } = d;

  /** The order of a provider we can ask; Stars orders have nothing to re-fetch. */
  function forProvider(orderId: string): OrderRow {
    const o = orders.get(orderId);
    if (!o) throw new AppError("order_not_found", 404);
    if (o.provider !== "yookassa" && o.provider !== "platega")
      throw new AppError("order_not_reconcilable", 409);
    if ((o.provider === "yookassa" && !d.yookassa) || (o.provider === "platega" && !platega))
      throw new AppError("payments_unavailable", 503, { provider: o.provider });
    return o;
  }

  return {
    moneyState(orderId: string): OrderMoneyState | undefined {
      const o = orders.get(orderId);
      if (!o) return undefined;
      const t = orders.refundTotals(o.id);
      return {
        status: o.status,
        refunded_minor: t.amountMinor,
        refunds: t.count,
        balance: d.balance(o.userId),
      };
    },
    stored(orderId: string): StoredSettlement {
      const o = orders.get(orderId);
      if (!o?.providerPaymentId) return { refunds: [], ledger: [] };
      const refunds = orders.refundsOf(o.id);
      const credit = d.entry(PAYMENT, paymentRef(o.provider, o.providerPaymentId));
      const reversals = refunds.map((r) => d.entry(PAYMENT_REFUND, r.ref));
      return { refunds, ledger: [credit, ...reversals].filter((r): r is LedgerRow => r !== undefined) };
    },
    async reconcileOne(orderId: string): Promise<Outcome> {
      const o = forProvider(orderId);
      try {
        if (o.provider === "platega" && platega) return await platega.reconcileOne(o);
        return await d.reconcileYooKassa(d.yookassa as YooKassa, o);
      } catch (err) {
        throw isAppError(err) ? err : unanswered(o.provider, err);
      }
    },
    async providerRecord(orderId: string): Promise<ProviderRecord> {
      const o = orders.get(orderId);
      if (o?.provider === STARS)
        return {
          source: "stored",
          object: {
            telegram_payment_charge_id: o.providerPaymentId,
            currency: o.currency,
            total_amount: o.amountMinor / 100,
            status: o.status,
            paid_at: o.paidAt,
          },
          refunds: [],
        };
      const order = forProvider(orderId);
      const id = order.providerPaymentId;
      if (!id) return { source: "provider", object: null, refunds: [] };
      try {
        if (order.provider === "platega" && platega)
          return { source: "provider", object: withoutSecrets(await platega.fetch(id)), refunds: [] };
        const yk = d.yookassa as YooKassa;
        const [payment, refunds] = await Promise.all([yk.getPayment(id), yk.listRefunds(id)]);
        return { source: "provider", object: withoutSecrets(payment), refunds: refunds.map(withoutSecrets) };
      } catch (err) {
        throw unanswered(order.provider, err);
      }
    },
  };
}
