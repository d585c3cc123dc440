// SQLite retention and daily figures of the job store: which finished rows may go, deleting them in short
// batches, the paths and ids clean-up must keep, and one day's job figures for stats_daily.

import { and, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import { storedFilesOf } from "../naming";
import type { JobDaySummary } from "../store";

const { jobs } = schema;

/** The time a job left the queue for good (every final transition sets finished_at; older rows may not). */
const finishedTs = sql<number>`coalesce(${jobs.finishedAt}, ${jobs.createdAt})`;

/**
 * "finishedTs in [from, to)" written so SQLite can answer it from jobs_finished_idx (both arms are range
 * or IS NULL lookups on finished_at) instead of scanning the table once per day folded.
 */
const endedBetween = (from: number | null, to: number) =>
  or(
    and(from === null ? undefined : gte(jobs.finishedAt, from), lt(jobs.finishedAt, to)),
    and(
      isNull(jobs.finishedAt),
      from === null ? undefined : gte(jobs.createdAt, from),
      lt(jobs.createdAt, to),
    ),
  );

/** One UTC day [start, end): jobs by the day they finished, submitters by the day they submitted. */
export function jobDaySummary(h: DbHandle, start: number, end: number): JobDaySummary {
  const j = h.db
    .select({
      done: sql<number>`coalesce(sum(case when ${jobs.status} in ('done','expired') then 1 else 0 end), 0)`,
      failed: sql<number>`coalesce(sum(case when ${jobs.status} = 'failed' then 1 else 0 end), 0)`,
      cancelled: sql<number>`coalesce(sum(case when ${jobs.status} = 'cancelled' then 1 else 0 end), 0)`,
      audioS: sql<number>`coalesce(sum(case when ${jobs.status} in ('done','expired') and ${jobs.kind} = 'master' then ${jobs.audioDurationS} end), 0)`,
      rtf: sql<
        number | null
      >`avg(case when ${jobs.status} in ('done','expired') and ${jobs.kind} = 'master' then ${jobs.realtimeFactor} end)`,
    })
    .from(jobs)
    .where(endedBetween(start, end))
    .get();
  const keys = h.sqlite
    .query<{ k: string }, [number, number]>(
      `SELECT DISTINCT CASE WHEN user_id IS NOT NULL THEN 'u' || user_id ELSE owner_key END AS k
         FROM jobs WHERE created_at >= ?1 AND created_at < ?2`,
    )
    .all(start, end);
  return {
    done: j?.done ?? 0,
    failed: j?.failed ?? 0,
    cancelled: j?.cancelled ?? 0,
    audioS: j?.audioS ?? 0,
    meanRealtimeFactor: j?.rtf ?? null,
    activeKeys: keys.map((r) => r.k),
  };
}

/**
 * Rows the retention may delete: finished before `before`, and never a result still downloadable
 * (a `done` row keeps its file until expiry turns it `expired`). Queued and running rows never match.
 */
const deletable = (before: number, now: number) =>
  and(
    endedBetween(null, before),
    sql`(${jobs.status} in ('failed','cancelled','expired') or (${jobs.status} = 'done' and (${jobs.resultPath} is null or (${jobs.expiresAt} is not null and ${jobs.expiresAt} <= ${now}))))`,
  );

/** UTC dates (YYYY-MM-DD) that have rows the retention would delete. */
export function datesOfDeletableJobs(h: DbHandle, before: number, now: number): string[] {
  return h.db
    .selectDistinct({ d: sql<string>`strftime('%Y-%m-%d', ${finishedTs} / 1000, 'unixepoch')` })
    .from(jobs)
    .where(deletable(before, now))
    .all()
    .map((r) => r.d);
}

// An input's reference siblings (naming.ts) belong to the row like the input itself.
/**
 * Deletes up to `limit` of those rows in one short transaction; returns how many and the files they still
 * pointed at. The caller loops, so the service's writers (heartbeats, claims) are never blocked for long.
 */
export function deleteOldJobs(
  h: DbHandle,
  before: number,
  now: number,
  limit: number,
): { deleted: number; paths: string[] } {
  return withImmediateTx(h.sqlite, () => {
    const rows = h.db
      .select({ id: jobs.id, input: jobs.inputPath, result: jobs.resultPath })
      .from(jobs)
      .where(deletable(before, now))
      .limit(limit)
      .all();
    if (rows.length === 0) return { deleted: 0, paths: [] };
    h.db
      .delete(jobs)
      .where(
        inArray(
          jobs.id,
          rows.map((r) => r.id),
        ),
      )
      .run();
    return { deleted: rows.length, paths: storedFilesOf(rows) };
  });
}

/** Upload and result paths any row still points at: orphan clean-up keeps these. */
export function referencedPaths(h: DbHandle): Set<string> {
  const rows = h.db
    .select({ input: jobs.inputPath, result: jobs.resultPath })
    .from(jobs)
    .where(sql`${jobs.inputPath} is not null or ${jobs.resultPath} is not null`)
    .all();
  return new Set(storedFilesOf(rows));
}

/** Public ids of queued and running jobs: their work folders are never touched. */
export function activePublicIds(h: DbHandle): Set<string> {
  const rows = h.db
    .select({ id: jobs.publicId })
    .from(jobs)
    .where(inArray(jobs.status, ["queued", "running"]))
    .all();
  return new Set(rows.map((r) => r.id));
}
