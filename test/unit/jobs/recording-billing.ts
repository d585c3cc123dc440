// A BillingSeam test double: records every reserve/refund/settle, can refuse reservations, and counts
// refunds per job so tests can assert "refunded exactly once".
import type { BillableJob, BillingSeam, RefundReason } from "../../../src/billing/seam";
import { AppError } from "../../../src/errors";

export type BillingCall =
  | { op: "reserve"; job: BillableJob }
  | { op: "refund"; job: BillableJob & { cost: number }; reason: RefundReason }
  | { op: "settle"; job: BillableJob & { cost: number } };

export class RecordingBilling implements BillingSeam {
  readonly calls: BillingCall[] = [];
  /** When true, reserve throws insufficient_tokens (403). */
  refuse = false;
  constructor(readonly cost = 1) {}

  reserve(job: BillableJob): number {
    if (this.refuse) throw new AppError("insufficient_tokens", 403);
    this.calls.push({ op: "reserve", job });
    return this.cost;
  }
  refund(job: BillableJob & { cost: number }, reason: RefundReason): void {
    this.calls.push({ op: "refund", job, reason });
  }
  settle(job: BillableJob & { cost: number }): void {
    this.calls.push({ op: "settle", job });
  }
  count(op: BillingCall["op"], publicId?: string): number {
    return this.calls.filter((c) => c.op === op && (publicId === undefined || c.job.publicId === publicId))
      .length;
  }
  refundReasons(publicId: string): RefundReason[] {
    return this.calls.flatMap((c) => (c.op === "refund" && c.job.publicId === publicId ? [c.reason] : []));
  }
}
