// Public face of billing: the seam the job system calls, and the token ledger that implements it when
// MM_BILLING=on (freeBilling when off).
import type { Config } from "../config";
import type { AuditLog, DbHandle } from "../db";
import type { Logger } from "../log";
import type { CostOf } from "./costs";
import { createLedger, type Ledger } from "./ledger";
import { createPayments, type Payments } from "./payments";
import { createPlans, type Plans } from "./plans";
import { createPlategaPayments } from "./platega";
import { createPlatega } from "./providers/platega";
import { createYooKassa } from "./providers/yookassa";
import { type BillingSeam, freeBilling } from "./seam";
import type { SettlementEvent, TierExtender } from "./settlement";
import { createSqliteLedgerStore } from "./sqlite";
import { createSqliteBillingStores } from "./sqlite/stores";
import { createStarsPayments, type StarsPayments } from "./stars";
import type { BillingStores } from "./stores";

export type {
  BillingAnalytics,
  CreditGroup,
  OrderGroup,
  PaidTotals,
  PaymentStats,
  PlanSales,
  SpenderRow,
} from "./analytics";
export { createBillingStores } from "./backend";
export { type CostOf, noCost } from "./costs";
export {
  type Adjustment,
  type AdjustResult,
  CHARGE,
  createLedger,
  type Ledger,
  type OnceEntry,
  REFUND,
} from "./ledger";
export { type CreatedPayment, openOrNewOrder, REUSE_MS, returnUrl } from "./orders";
export type { OrderCounts, OrderRow, PaymentDay, PlanRow, RefundRow } from "./payment-store";
export {
  createPayments,
  idempotenceKey,
  type Payments,
  type PaymentsDeps,
} from "./payments";
export type { OrderMoneyState, ProviderRecord, StoredSettlement } from "./payments-admin";
export { createPgBillingStores } from "./pg";
export {
  createPlans,
  DEFAULT_PLANS,
  moneyString,
  type NewPlan,
  PLAN_FIELDS,
  PLAN_KEY,
  PLAN_KINDS,
  type Plans,
  parseMoney,
  SOLD_TIERS,
} from "./plans";
export { createPlategaPayments, PLATEGA, type PlategaPayments } from "./platega";
export { createPlatega, type Platega } from "./providers/platega";
export { createYooKassa, ProviderError, type YooKassa } from "./providers/yookassa";
export { REDACTED, withoutSecrets } from "./redact";
export {
  type OperatorRefund,
  type RefundOrderDeps,
  type RefundResult,
  refundOrder,
} from "./refund-order";
export { type BillableJob, type BillingSeam, freeBilling, type RefundReason } from "./seam";
export {
  createSettlement,
  type Outcome,
  PAYMENT,
  PAYMENT_REFUND,
  paymentRef,
  type Settlement,
  type SettlementDeps,
  type SettlementEvent,
  type TierExtender,
} from "./settlement";
export { createSqliteLedgerStore } from "./sqlite";
export { createSqliteBillingAnalytics } from "./sqlite/analytics";
export { type Balances, createSqliteBalances } from "./sqlite/balances";
export {
  createSqliteOrderAdmin,
  type OrderAdmin,
  type OrderFilter,
  type OrderList,
} from "./sqlite/orders-admin";
export { createSqliteOrderStore, createSqlitePlanStore } from "./sqlite/payments";
export { createSqliteBillingStores } from "./sqlite/stores";
export { createStarsPayments, STARS, type StarsCheckout, type StarsPayments } from "./stars";
export type { LedgerRow, LedgerStore, NewLedgerEntry } from "./store";
export type { BillingStores } from "./stores";
export { type RefundRequest, refundIdempotenceKey } from "./yookassa-refund";

/** What the job service charges through: the ledger when MM_BILLING=on, else nothing. */
export const billingSeamFor = (mode: "off" | "on", ledger: BillingSeam): BillingSeam =>
  mode === "on" ? ledger : freeBilling;

/** The ledger on these stores; `costOf` prices a job (accounts' tiers: `tiers.costOf`). */
export function ledgerOn(stores: Pick<BillingStores, "ledger">, costOf: CostOf): Ledger {
  return createLedger({ store: stores.ledger, costOf });
}

/** The ledger on this SQLite database (tests and benches; the service builds from the Backend). */
export function createSqliteLedger(dbh: DbHandle, costOf: CostOf): Ledger {
  return createLedger({ store: createSqliteLedgerStore(dbh), costOf });
}

/** True when YooKassa can take payments: shop id, secret key and the public URL (return URL) are set. */
export const yookassaConfigured = (c: Config): boolean =>
  c.MM_YOOKASSA_SHOP_ID !== "" && c.MM_YOOKASSA_SECRET_KEY !== "" && c.MM_PUBLIC_URL !== "";

/** True when Platega can take payments: merchant id, secret and the public URL (return URL) are set. */
export const plategaConfigured = (c: Config): boolean =>
  c.MM_PLATEGA_MERCHANT_ID !== "" && c.MM_PLATEGA_SECRET !== "" && c.MM_PUBLIC_URL !== "";

export type PaymentsWiring = {
  /** The plans and orders stores (createBillingStores(backend)). */
  stores: Pick<BillingStores, "plans" | "orders">;
  config: Config;
  log: Logger;
  audit: AuditLog;
  ledger: Ledger;
  tiers?: TierExtender;
  emailOf: (userId: number) => string | null | undefined;
  now?: () => number;
  /**
   * Every provider's settlement reports here after a credit or refund committed (receipts, admin chat);
   * a provider added beside YooKassa and Stars passes it to its createSettlement too.
   */
  onSettled?: (e: SettlementEvent) => void;
};

export type PaymentServices = { plans: Plans; payments: Payments; stars: StarsPayments };

/** Plans and the payments service on these stores, YooKassa and Platega per config. */
export function createPaymentServices(w: PaymentsWiring): PaymentServices {
  const c = w.config;
  const plans = createPlans({ store: w.stores.plans, audit: w.audit, now: w.now });
  const yookassa = yookassaConfigured(c)
    ? createYooKassa({
        apiRoot: c.MM_YOOKASSA_API_ROOT,
        shopId: c.MM_YOOKASSA_SHOP_ID,
        secretKey: c.MM_YOOKASSA_SECRET_KEY,
      })
    : undefined;
  const { orders } = w.stores;
  const platega = plategaConfigured(c)
    ? createPlatega({
        apiRoot: c.MM_PLATEGA_API_ROOT,
        merchantId: c.MM_PLATEGA_MERCHANT_ID,
        secret: c.MM_PLATEGA_SECRET,
      })
    : undefined;
  const payments = createPayments({
    orders,
    plans,
    ledger: w.ledger,
    yookassa,
    platega:
      platega &&
      ((settle) =>
        createPlategaPayments({
          orders,
          plans,
          client: platega,
          settle,
          publicUrl: c.MM_PUBLIC_URL,
          reconcileMin: c.MM_PAYMENT_RECONCILE_MIN,
          log: w.log,
          now: w.now ?? Date.now,
        })),
    tiers: w.tiers,
    emailOf: w.emailOf,
    publicUrl: c.MM_PUBLIC_URL,
    receipts: c.MM_YOOKASSA_RECEIPTS === "on",
    vatCode: c.MM_YOOKASSA_VAT_CODE,
    reconcileMin: c.MM_PAYMENT_RECONCILE_MIN,
    log: w.log,
    now: w.now,
    onSettled: w.onSettled,
  });
  const stars = createStarsPayments({
    orders,
    plans,
    ledger: w.ledger,
    tiers: w.tiers,
    log: w.log,
    now: w.now,
    onSettled: w.onSettled,
  });
  return { plans, payments, stars };
}

/** The same on one SQLite database (tests; the service builds from the Backend). */
export const createSqlitePayments = ({
  dbh,
  ...w
}: Omit<PaymentsWiring, "stores"> & { dbh: DbHandle }): PaymentServices =>
  createPaymentServices({ ...w, stores: createSqliteBillingStores(dbh) });
