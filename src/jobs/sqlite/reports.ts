// SQLite reads of the job store for health, metrics, alerts and admin tools (the bot's /jobs, /errors and
// /stats, the admin CLI and HTTP): counts, lists and windowed outcomes. No writes.

import { and, desc, eq, getTableColumns, gte, inArray, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type {
  AdminJobLine,
  FailureLine,
  JobCounts,
  JobRecord,
  JobRow,
  JobWindowStats,
  UserJobCounts,
} from "../store";

const { jobs } = schema;

/** Counts jobs per status in one grouped query (missing statuses are 0). */
export function countJobsByStatus(h: DbHandle): JobCounts {
  const rows = h.db
    .select({ status: jobs.status, n: sql<number>`count(*)` })
    .from(jobs)
    .groupBy(jobs.status)
    .all();
  const out = { total: 0 } as JobCounts;
  for (const s of schema.JOB_STATUSES) out[s] = 0;
  for (const r of rows) {
    out[r.status] = r.n;
    out.total += r.n;
  }
  return out;
}

export function countQueued(h: DbHandle): number {
  return h.db.select({ n: sql<number>`count(*)` }).from(jobs).where(eq(jobs.status, "queued")).get()?.n ?? 0;
}

/** Running then queued jobs (running first, then the fair claim order), at most `limit`. */
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
    .orderBy(sql`case ${jobs.status} when 'running' then 0 else 1 end`, jobs.fairKey, jobs.id)
    .limit(limit)
    .all();
}

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

/** Jobs that ended since `since`: how many finished (done or failed) and how many of those failed. */
export function outcomesSince(h: DbHandle, since: number): { finished: number; failed: number } {
  const r = h.db
    .select({
      finished: sql<number>`count(*)`,
      failed: sql<number>`coalesce(sum(case when ${jobs.status} = 'failed' then 1 else 0 end), 0)`,
    })
    .from(jobs)
    .where(and(inArray(jobs.status, ["done", "expired", "failed"]), gte(jobs.finishedAt, since)))
    .get();
  return { finished: r?.finished ?? 0, failed: r?.failed ?? 0 };
}

/** Every column but the access token, which admin tools never see. */
function recordColumns() {
  const { accessToken: _secret, ...cols } = getTableColumns(jobs);
  return cols;
}

/** Newest jobs first, optionally of one status. */
export function listJobRecords(h: DbHandle, opts: { status?: schema.JobStatus; limit: number }): JobRecord[] {
  return h.db
    .select(recordColumns())
    .from(jobs)
    .where(opts.status ? eq(jobs.status, opts.status) : undefined)
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(opts.limit)
    .all();
}

/** The full row of one job (error detail included, access token excluded). */
export function findJobRecord(h: DbHandle, publicId: string): JobRecord | undefined {
  return h.db.select(recordColumns()).from(jobs).where(eq(jobs.publicId, publicId)).get();
}

/** Job counts of one user (their user id or their Telegram owner key), for the admin user report. */
export function countJobsOfUser(h: DbHandle, userId: number, ownerKey: string | null): UserJobCounts {
  const row = h.db
    .select({
      total: sql<number>`count(*)`,
      done: sql<number>`coalesce(sum(case when ${jobs.status} = 'done' then 1 else 0 end), 0)`,
      failed: sql<number>`coalesce(sum(case when ${jobs.status} = 'failed' then 1 else 0 end), 0)`,
      last_at: sql<number | null>`max(${jobs.createdAt})`,
    })
    .from(jobs)
    .where(sql`${jobs.userId} = ${userId} or ${jobs.ownerKey} = ${ownerKey ?? ""}`)
    .get();
  return {
    total: row?.total ?? 0,
    done: row?.done ?? 0,
    failed: row?.failed ?? 0,
    last_at: row?.last_at ?? null,
  };
}

/** failed/cancelled rows with a cost that finished since `since`: the candidates for a missed refund. */
export function unsuccessfulEndedSince(h: DbHandle, since: number): JobRow[] {
  return h.db
    .select()
    .from(jobs)
    .where(and(inArray(jobs.status, ["failed", "cancelled"]), gte(jobs.finishedAt, since)))
    .all();
}
