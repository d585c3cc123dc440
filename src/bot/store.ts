// SQL the bot owns: the grammY session rows (bot_sessions) and read-only admin reports over jobs that the
// job service does not expose (running/queued lists, recent failures, windowed stats). No writes to jobs.

import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { StorageAdapter } from "grammy";
import { type DbHandle, schema } from "../db";

const { botSessions, jobs } = schema;

/**
 * grammY's session storage on SQLite: one JSON row per session key, so a pending choice survives a restart.
 * Values hold only small choices and Telegram file ids, never file bytes.
 */
export function sqliteSessionStorage<T>(h: DbHandle, now: () => number = Date.now): StorageAdapter<T> {
  return {
    read(key) {
      const row = h.db
        .select({ value: botSessions.value })
        .from(botSessions)
        .where(eq(botSessions.key, key))
        .get();
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as T;
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      const json = JSON.stringify(value);
      h.db
        .insert(botSessions)
        .values({ key, value: json, updatedAt: now() })
        .onConflictDoUpdate({ target: botSessions.key, set: { value: json, updatedAt: now() } })
        .run();
    },
    delete(key) {
      h.db.delete(botSessions).where(eq(botSessions.key, key)).run();
    },
    has(key) {
      return (
        h.db.select({ key: botSessions.key }).from(botSessions).where(eq(botSessions.key, key)).get() !==
        undefined
      );
    },
  };
}

export type AdminJobLine = {
  publicId: string;
  status: string;
  ownerKey: string;
  progress: number;
  stage: string | null;
  originalName: string;
  createdAt: number;
};

/** Running then queued jobs (oldest first), at most `limit`. */
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
    .where(and(gte(jobs.finishedAt, since)))
    .get();
  return { done: row?.done ?? 0, failed: row?.failed ?? 0, mean_realtime_factor: row?.rtf ?? null };
}
