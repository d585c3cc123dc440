// What the operator asks of the money (seed 001 "Аналитика"): who spends the most tokens, and payments
// in total, average and by status, plus the ledger's credit rows by reason. Read-only; the SQLite
// implementation is in ./sqlite/analytics.ts.
//
// Payments: the payments table as it is today (provider, amount in minor units, currency, status). A
// payment counts as paid when its status is one of PAID_STATUSES ("paid" as the original, "succeeded" as
// YooKassa says). Until a provider writes rows, the figures are zeros and the ledger's credit rows (admin
// top-ups now, payment credits once providers land) show where tokens came from.

export const PAID_STATUSES = ["paid", "succeeded"] as const;

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

export type PaymentGroup = {
  provider: string;
  status: string;
  currency: string;
  count: number;
  /** Sum of amounts, in the currency's minor units as stored. */
  amount: number;
};

export type PaidTotals = { currency: string; count: number; amount: number; average: number };

export type CreditGroup = { reason: string; rows: number; tokens: number; users: number };

export type PaymentStats = {
  since: number | null;
  /** Paid payments per currency: count, total and the average check (seed 001's three figures). */
  paid: PaidTotals[];
  /** Every payment row by provider, status and currency. */
  byStatus: PaymentGroup[];
  /** Ledger rows that added tokens (refunds excluded), by reason. */
  credits: CreditGroup[];
};

export interface BillingAnalytics {
  /** The users who spent the most tokens on jobs since `since` (unix ms), most first. */
  topSpenders(since: number, limit: number): SpenderRow[];
  /** Payments and ledger credits since `since` (null: all time). */
  paymentStats(since: number | null): PaymentStats;
}
