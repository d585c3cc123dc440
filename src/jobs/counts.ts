// Job counts by status, for health, metrics and alerts. Read-only; one grouped query.

import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { schema } from "../db";

export type JobCounts = Record<schema.JobStatus, number> & { total: number };

/** Counts jobs per status in one query (missing statuses are 0). */
export function countJobsByStatus(db: Db): JobCounts {
  const rows = db
    .select({ status: schema.jobs.status, n: sql<number>`count(*)` })
    .from(schema.jobs)
    .groupBy(schema.jobs.status)
    .all();
  const out = { total: 0 } as JobCounts;
  for (const s of schema.JOB_STATUSES) out[s] = 0;
  for (const r of rows) {
    out[r.status] = r.n;
    out.total += r.n;
  }
  return out;
}
