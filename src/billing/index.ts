// Public face of billing: the seam the job system calls, and the token ledger that implements it when
// MM_BILLING=on (freeBilling when off).
import type { DbHandle } from "../db";
import type { CostOf } from "./costs";
import { createLedger, type Ledger } from "./ledger";
import { type BillingSeam, freeBilling } from "./seam";
import { createSqliteLedgerStore } from "./sqlite";

export { type CostOf, noCost } from "./costs";
export { type Adjustment, CHARGE, createLedger, type Ledger, REFUND } from "./ledger";
export { type BillableJob, type BillingSeam, freeBilling, type RefundReason } from "./seam";
export { createSqliteLedgerStore } from "./sqlite";
export type { LedgerRow, LedgerStore, NewLedgerEntry } from "./store";

/** What the job service charges through: the ledger when MM_BILLING=on, else nothing. */
export const billingSeamFor = (mode: "off" | "on", ledger: BillingSeam): BillingSeam =>
  mode === "on" ? ledger : freeBilling;

/** The ledger on this database; `costOf` prices a job (accounts' tiers: `tiers.costOf`). */
export function createSqliteLedger(dbh: DbHandle, costOf: CostOf): Ledger {
  return createLedger({ store: createSqliteLedgerStore(dbh), costOf });
}
