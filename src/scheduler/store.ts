// The scheduler's SQL: the stats_daily table and the user figures a day's row needs. Job figures come
// from the job service (the jobs table's only owner). Times are unix ms (UTC), like every table.

import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../db";
import type { JobReports } from "../jobs";

const { users, statsDaily } = schema;

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
export function computeDayStats(
  h: DbHandle,
  jobs: Pick<JobReports, "daySummary">,
  start: number,
  end: number,
): DayStats {
  const j = jobs.daySummary(start, end);
  const usersNew = h.db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
    .get();
  // Active = anyone who submitted a job that day or was seen by the bot that day, counted once.
  const seen = h.db
    .select({ id: users.id })
    .from(users)
    .where(and(gte(users.lastSeenAt, start), lt(users.lastSeenAt, end)))
    .all();
  const active = new Set([...j.activeKeys, ...seen.map((u) => `u${u.id}`)]);
  return {
    jobsDone: j.done,
    jobsFailed: j.failed,
    jobsCancelled: j.cancelled,
    usersNew: usersNew?.n ?? 0,
    usersActive: active.size,
    audioMinutes: Math.round((j.audioS / 60) * 100) / 100,
    meanRealtimeFactor: j.meanRealtimeFactor === null ? null : Math.round(j.meanRealtimeFactor * 1000) / 1000,
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
