// Read-only admin reports over the jobs table (the bot's /jobs, /errors and /stats; usable by the CLI too):
// running + queued lists, recent failures and windowed done/failed counts. No writes, no state changes —
// transitions stay in store.ts.

import { desc, eq, gte, inArray, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { jobs } = schema;

export type AdminJobLine = {
  publicId: string;
  status: string;
  ownerKey: string;
  progress: number;
  stage: string | null;
  originalName: string;
  createdAt: number;
};

/** Running then queued jobs (running first, then claim order: priority desc, oldest first), at most `limit`. */
export function listActiveJobs(h: DbHandle, limit = 30): AdminJobLine[] {
  return h.db
    .select({
      publicId: jobs.publicId,
      status: jobs.status,
      ownerKey: jobs.ownerKey,
      progress: jobs.progress,
      stage: jobs.stage,
      originalName: jobs.originalName,
      createdAt: jobs.createdAt,
    })
    .from(jobs)
    .where(inArray(jobs.status, ["running", "queued"]))
    .orderBy(sql`case ${jobs.status} when 'running' then 0 else 1 end`, desc(jobs.priority), jobs.createdAt)
    .limit(limit)
    .all();
}

export type FailureLine = {
  publicId: string;
  errorCode: string | null;
  ownerKey: string;
  finishedAt: number | null;
};

/** The last `limit` failed jobs, newest first. */
export function listRecentFailures(h: DbHandle, limit = 10): FailureLine[] {
  return h.db
    .select({
      publicId: jobs.publicId,
      errorCode: jobs.errorCode,
      ownerKey: jobs.ownerKey,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .where(eq(jobs.status, "failed"))
    .orderBy(desc(jobs.finishedAt), desc(jobs.id))
    .limit(limit)
    .all();
}

export type JobWindowStats = { done: number; failed: number; mean_realtime_factor: number | null };

/** Jobs finished since `since` (unix ms): done, failed and the mean realtime factor of the done ones. */
export function jobStatsSince(h: DbHandle, since: number): JobWindowStats {
  const row = h.db
    .select({
      done: sql<number>`coalesce(sum(case when ${jobs.status} = 'done' then 1 else 0 end), 0)`,
      failed: sql<number>`coalesce(sum(case when ${jobs.status} = 'failed' then 1 else 0 end), 0)`,
      rtf: sql<number | null>`avg(case when ${jobs.status} = 'done' then ${jobs.realtimeFactor} end)`,
    })
    .from(jobs)
    .where(gte(jobs.finishedAt, since))
    .get();
  return { done: row?.done ?? 0, failed: row?.failed ?? 0, mean_realtime_factor: row?.rtf ?? null };
}
