// What a job costs in tokens while MM_BILLING=on, by the owner's tier and the job kind. Defaults follow
// the original's published pricing: pro and studio pay 1 token a master; free and guest are limited by
// counts (a later step), not tokens; previews and measurements are free.

import type { BillableJob } from "./seam";

export type KindCosts = Record<BillableJob["kind"], number>;

export const DEFAULT_COSTS: Record<string, KindCosts> = {
  guest: { master: 0, preview: 0, measure: 0 },
  free: { master: 0, preview: 0, measure: 0 },
  pro: { master: 1, preview: 0, measure: 0 },
  studio: { master: 1, preview: 0, measure: 0 },
};

/** A cost function over the owner's tier (`tierOf` answers undefined for an unknown user: free). */
export function tierCosts(
  tierOf: (userId: number) => string | undefined,
  table: Record<string, KindCosts> = DEFAULT_COSTS,
): (job: BillableJob) => number {
  return (job) => {
    if (job.userId === null) return 0;
    const tier = tierOf(job.userId) ?? "free";
    return (table[tier] ?? table.free)?.[job.kind] ?? 0;
  };
}
