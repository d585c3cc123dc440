// What a job costs in tokens while MM_BILLING=on. The prices are tier data (the accounts' `tiers` table,
// `magic-master admin tiers`); billing only asks the cost function it is given, so no price lives here.

import type { BillableJob } from "./seam";

/** Tokens a job costs its owner; 0 writes no ledger row. */
export type CostOf = (job: BillableJob) => number;

/** Nothing costs anything (tests of the ledger's own rules give their own prices). */
export const noCost: CostOf = () => 0;
