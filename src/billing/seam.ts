// The seam where billing meets the job system: reserve a cost when a validated job is queued, refund it
// when the job fails, times out, is cancelled or interrupted for good, settle it when it succeeds.
// The token ledger (a later issue) implements this interface; until then `freeBilling` charges nothing.

/** What billing needs to know about a job. `publicId` is the ledger ref, so each charge happens once. */
export type BillableJob = {
  publicId: string;
  ownerKey: string;
  userId: number | null;
  kind: "master" | "preview" | "measure";
  /** Set for a batch item (a tier may price batch items apart). */
  batchId?: string | null;
};

/** Why a reserved cost is given back. */
export type RefundReason = "failed" | "timeout" | "cancelled" | "interrupted";

/**
 * The billing interface the job service calls.
 * - `reserve` runs after the upload is validated, inside the job insert's transaction (JobStore.enqueue's
 *   `charge`), so a charge commits with its job or not at all. It returns the cost and
 *   throws `AppError("insufficient_tokens", 403)` when the owner cannot pay. We chose 403, not 402 (not in
 *   our status set) nor 429 (waiting does not help): the request is understood and refused until a top-up.
 * - `refund` is called at most once per job, only for a job whose `reserve` succeeded.
 * - `settle` (optional) confirms the charge of a job that finished `done`.
 * - `refundMissing` (optional) lets recovery find a refund lost to a crash; `refund` must then be safe to
 *   call again for the same job (the ledger's unique (reason, ref) makes it so).
 */
export interface BillingSeam {
  reserve(job: BillableJob): number;
  refund(job: BillableJob & { cost: number }, reason: RefundReason): void;
  settle?(job: BillableJob & { cost: number }): void;
  /**
   * True when the job was charged and never refunded. Restart recovery asks it for failed/cancelled jobs,
   * because a crash between the final state and its refund (two transactions) would otherwise lose the refund.
   */
  refundMissing?(job: BillableJob): boolean;
}

/** Billing that is switched off: every job costs 0, refunds do nothing. */
export const freeBilling: BillingSeam = {
  reserve: () => 0,
  refund: () => {},
};
