// Every SQL statement of the scheduler and the runbook CLI: daily stats, job-row retention, alert
// counters and read-only job listings. Times are unix ms (UTC), like every table.

import { and, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../db";

const { jobs, users, statsDaily } = schema;

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

export type DayStats = {
  jobsDone: number;
  jobsFailed: number;
  jobsCancelled: number;
  usersNew: number;
  usersActive: number;
  audioMinutes: number;
  meanRealtimeFactor: number | null;
};

export type StatsRow = typeof statsDaily.$inferSelect;

/** Counts one UTC day [start, end): jobs by the day they finished, users by creation and activity. */
export function computeDayStats(h: DbHandle, start: number, end: number): DayStats {
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
  const usersNew = h.db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
    .get();
  // Active = anyone who submitted a job that day or was seen by the bot that day, counted once.
  const active = h.sqlite
    .query<{ n: number }, [number, number, number, number]>(
      `SELECT count(*) AS n FROM (
         SELECT CASE WHEN user_id IS NOT NULL THEN 'u' || user_id ELSE owner_key END AS k
           FROM jobs WHERE created_at >= ?1 AND created_at < ?2
         UNION SELECT 'u' || id FROM users WHERE last_seen_at >= ?3 AND last_seen_at < ?4)`,
    )
    .get(start, end, start, end);
  return {
    jobsDone: j?.done ?? 0,
    jobsFailed: j?.failed ?? 0,
    jobsCancelled: j?.cancelled ?? 0,
    usersNew: usersNew?.n ?? 0,
    usersActive: active?.n ?? 0,
    audioMinutes: Math.round(((j?.audioS ?? 0) / 60) * 100) / 100,
    meanRealtimeFactor: j?.rtf === null || j?.rtf === undefined ? null : Math.round(j.rtf * 1000) / 1000,
  };
}

/** Writes the row of `date` (YYYY-MM-DD); the date is the primary key, so re-running updates it. */
export function upsertDayStats(h: DbHandle, date: string, s: DayStats, now: number): void {
  h.db
    .insert(statsDaily)
    .values({ date, ...s, updatedAt: now })
    .onConflictDoUpdate({ target: statsDaily.date, set: { ...s, updatedAt: now } })
    .run();
}

export function findDayStats(h: DbHandle, date: string): StatsRow | undefined {
  return h.db.select().from(statsDaily).where(eq(statsDaily.date, date)).get();
}

/** Stored rows from `fromDate` (inclusive), newest first. */
export function listDayStats(h: DbHandle, fromDate: string): StatsRow[] {
  return h.db
    .select()
    .from(statsDaily)
    .where(gte(statsDaily.date, fromDate))
    .orderBy(desc(statsDaily.date))
    .all();
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

/**
 * Deletes up to `limit` of those rows in one short transaction; returns how many and the files they still
 * pointed at. The caller loops, so the service's writers (heartbeats, claims) are never blocked for long.
 */
export function deleteOldJobs(
  h: DbHandle,
  before: number,
  now: number,
  limit = 1000,
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
    const paths = rows.flatMap((r) => [r.input, r.result].filter((p): p is string => typeof p === "string"));
    return { deleted: rows.length, paths };
  });
}

/** Upload and result paths any row still points at: orphan clean-up keeps these. */
export function referencedPaths(h: DbHandle): Set<string> {
  const rows = h.db
    .select({ input: jobs.inputPath, result: jobs.resultPath })
    .from(jobs)
    .where(sql`${jobs.inputPath} is not null or ${jobs.resultPath} is not null`)
    .all();
  return new Set(rows.flatMap((r) => [r.input, r.result].filter((p): p is string => typeof p === "string")));
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

export function countQueued(h: DbHandle): number {
  return h.db.select({ n: sql<number>`count(*)` }).from(jobs).where(eq(jobs.status, "queued")).get()?.n ?? 0;
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

export type JobRecord = Omit<typeof jobs.$inferSelect, "accessToken">;

/** Newest jobs first, optionally of one status. The access token is never selected. */
export function listJobs(h: DbHandle, opts: { status?: schema.JobStatus; limit: number }): JobRecord[] {
  const { accessToken: _secret, ...cols } = getTableColumns(jobs);
  return h.db
    .select(cols)
    .from(jobs)
    .where(opts.status ? eq(jobs.status, opts.status) : undefined)
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(opts.limit)
    .all();
}

/** The full row of one job (error detail included, access token excluded). */
export function findJobRecord(h: DbHandle, publicId: string): JobRecord | undefined {
  const { accessToken: _secret, ...cols } = getTableColumns(jobs);
  return h.db.select(cols).from(jobs).where(eq(jobs.publicId, publicId)).get();
}
