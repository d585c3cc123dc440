// The stores of plans and orders: every read and write of those two tables, as narrow interfaces (the
// SQLite implementation is ./sqlite/payments.ts). Order transitions are compare-and-set: they name the
// states they leave, so a duplicate or reordered notification finds nothing to change.

import type { schema } from "../db";

export type OrderStatus = (typeof schema.ORDER_STATUSES)[number];

export type PlanRow = typeof schema.plans.$inferSelect;
export type OrderRow = typeof schema.orders.$inferSelect;
export type NewOrder = Omit<
  OrderRow,
  "providerPaymentId" | "confirmationUrl" | "status" | "lastError" | "paidAt" | "refundedAt"
>;

export interface PlanStore {
  /** Inserts the defaults when the table is empty; never touches existing rows. */
  seed(rows: readonly Omit<PlanRow, "updatedAt">[], now: number): void;
  list(): PlanRow[];
  get(key: string): PlanRow | undefined;
  update(key: string, set: Partial<PlanRow>, now: number): PlanRow;
  /** Inserts a new plan; undefined when the key is taken (a race with another writer). */
  insert(row: Omit<PlanRow, "updatedAt">, now: number): PlanRow | undefined;
}

export type RefundRow = typeof schema.orderRefunds.$inferSelect;
export type NewRefund = Omit<RefundRow, "id">;
/** What an order's refunds so far add up to. */
export type RefundTotals = { amountMinor: number; tokensDue: number; daysDue: number; count: number };

/** Orders of one window: created, paid (by paid_at) and their money, refunds (by refund time). */
export type PaymentDay = {
  created: number;
  paid: number;
  revenueMinor: Record<string, number>;
  refundsMinor: Record<string, number>;
};

export type OrderCounts = {
  byStatus: Record<string, number>;
  /** Still paid, by currency: succeeded orders less their partial refunds (minor units). */
  revenueMinor: Record<string, number>;
  /** Ever paid, by currency: succeeded and refunded orders (minor units; only grows). */
  paidMinor: Record<string, number>;
  /** Ever refunded, by currency: every full and partial refund (minor units; only grows). */
  refundedMinor: Record<string, number>;
};

export interface OrderStore {
  insert(o: NewOrder): OrderRow;
  get(id: string): OrderRow | undefined;
  byProviderPayment(provider: string, paymentId: string): OrderRow | undefined;
  /** The user's newest pending order of this plan and provider created at or after `since`. */
  openOrder(userId: number, planKey: string, provider: string, since: number): OrderRow | undefined;
  /** Records the provider's payment on a pending order (first writer wins); the row after. */
  attachPayment(
    id: string,
    paymentId: string,
    confirmationUrl: string | null,
    now: number,
  ): OrderRow | undefined;
  noteError(id: string, error: string, now: number): void;
  /** Moves the order from one of `from` to `to`; false when it was in none of them (nothing changed). */
  transition(id: string, from: readonly OrderStatus[], to: OrderStatus, now: number): boolean;
  /** Pending orders of `provider` created before `before`, oldest first. */
  pendingBefore(provider: string, before: number, limit: number): OrderRow[];
  counts(): OrderCounts;
  /** The refund recorded under `ref`, if any. */
  refundByRef(ref: string): RefundRow | undefined;
  /** Sums of the order's refunds (zeros without any). */
  refundTotals(orderId: string): RefundTotals;
  recordRefund(r: NewRefund): void;
  /** The order's refunds, oldest first. */
  refundsOf(orderId: string): RefundRow[];
  /** Orders created and paid in [start, end), their money and the refunds made then (daily stats). */
  daySummary(start: number, end: number): PaymentDay;
  /** Runs `fn` in one write transaction (or inside the caller's), as the ledger's store does. */
  atomically<T>(fn: () => T): T;
}
