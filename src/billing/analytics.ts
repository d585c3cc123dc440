// What the operator asks of the money (seed 001 "Аналитика"): who spends the most tokens; payments in
// count, total and average check; and where tokens came from. Read-only; SQLite in ./sqlite/analytics.ts.
//
// Payments are read from `orders` (an order is the purchase; "succeeded" = paid, "refunded" = paid then
// given back), money in minor units as stored. The older `payments` table is not read: no provider writes
// it. Token sources are the ledger's credit rows by reason (payment, admin_credit, bonuses…; refunds of
// jobs are not a source and are left out), so an operator's manual top-ups show beside sales.

/** Token movements of jobs by one user in a window: charges minus refunds is what they spent. */
export type SpenderRow = {
  userId: number;
  /** Tokens charged minus tokens refunded. */
  spent: number;
  charged: number;
  refunded: number;
  /** Charged jobs (charge rows). */
  jobs: number;
};

/** Paid orders (succeeded, or refunded later) per currency: seed 001's three figures. */
export type PaidTotals = {
  currency: string;
  count: number;
  amountMinor: number;
  averageMinor: number;
  refundedCount: number;
  refundedMinor: number;
};

export type OrderGroup = {
  provider: string;
  status: string;
  currency: string;
  count: number;
  amountMinor: number;
};

export type PlanSales = { plan: string; currency: string; count: number; amountMinor: number };

export type CreditGroup = { reason: string; rows: number; tokens: number; users: number };

export type PaymentStats = {
  /** Start of the window (unix ms), null: all time. Paid figures count by paid_at, the rest by created_at. */
  since: number | null;
  paid: PaidTotals[];
  byStatus: OrderGroup[];
  byPlan: PlanSales[];
  credits: CreditGroup[];
};

export interface BillingAnalytics {
  /** The users who spent the most tokens on jobs since `since` (unix ms), most first. */
  topSpenders(since: number, limit: number): SpenderRow[];
  paymentStats(since: number | null): PaymentStats;
}
