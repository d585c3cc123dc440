// Public face of billing. Today only the seam the job system calls; the token ledger joins it later.
export { type BillableJob, type BillingSeam, freeBilling, type RefundReason } from "./seam";
