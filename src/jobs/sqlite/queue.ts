// SQLite queue of the job store: the claim and every state transition (inserts are in ./enqueue.ts).
// Transitions are guarded by the status they leave, so a row changes state once even when the worker, a
// cancel and a sweep race.

import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { AbandonedOptions, DoneFields, JobRow } from "../store";
import { claimFair, claimFairBatch, fairPosition } from "./fair";

const { jobs } = schema;

/** SQL column name → drizzle property, for the hot path that bypasses the query builder. */
const COLUMN_KEYS = Object.entries(getTableColumns(jobs)).map(([key, col]) => [col.name, key] as const);

/** Maps a raw `RETURNING *` row to a JobRow (drizzle's builder costs ~2 ms per UPDATE … RETURNING). */
function fromRaw(raw: Record<string, unknown>): JobRow {
  const out: Record<string, unknown> = {};
  for (const [name, key] of COLUMN_KEYS) out[key] = raw[name];
  return out as JobRow;
}

export function findJobByPublicId(h: DbHandle, publicId: string): JobRow | undefined {
  return h.db.select().from(jobs).where(eq(jobs.publicId, publicId)).get();
}

export function listJobsByOwner(h: DbHandle, ownerKey: string, limit: number): JobRow[] {
  return h.db
    .select()
    .from(jobs)
    .where(eq(jobs.ownerKey, ownerKey))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit)
    .all();
}

export function listJobsByBatch(h: DbHandle, batchId: string): JobRow[] {
  return h.db.select().from(jobs).where(eq(jobs.batchId, batchId)).orderBy(asc(jobs.id)).all();
}

/** 1-based place among queued jobs in claim order (fair.ts). */
export function queuePosition(h: DbHandle, row: JobRow): number {
  return fairPosition(h, row);
}

/** Claims the next runnable job fairly across owners (fair.ts), skipping owners at `maxPerOwner` running. */
export function claimNextJob(
  h: DbHandle,
  workerId: string,
  maxPerOwner: number,
  now: number,
): JobRow | undefined {
  return claimFair(h, workerId, maxPerOwner, now, fromRaw);
}

/** Up to `limit` claims at once (a node's free slots), each as claimNextJob would. */
export function claimJobBatch(
  h: DbHandle,
  workerId: string,
  maxPerOwner: number,
  now: number,
  limit: number,
): JobRow[] {
  return claimFairBatch(h, workerId, maxPerOwner, now, limit, fromRaw);
}

export function touchHeartbeat(h: DbHandle, id: number, workerId: string, now: number): void {
  h.db
    .update(jobs)
    .set({ heartbeatAt: now })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.workerId, workerId)))
    .run();
}

export function setJobProgress(
  h: DbHandle,
  id: number,
  progress: number,
  stage: string | null,
  now: number,
): void {
  h.db
    .update(jobs)
    .set({ progress, stage, heartbeatAt: now })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running")))
    .run();
}

/** running → done, only if this worker still owns the row. */
export function markJobDone(h: DbHandle, id: number, workerId: string, f: DoneFields, now: number) {
  return h.db
    .update(jobs)
    .set({ ...f, status: "done", progress: 1, stage: null, finishedAt: now, inputPath: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.workerId, workerId)))
    .returning()
    .get();
}

/** running → failed, only if this worker still owns the row. */
export function markJobFailed(
  h: DbHandle,
  id: number,
  workerId: string,
  code: string,
  detail: string,
  now: number,
  keepInputUntil: number | null = null,
) {
  return h.db
    .update(jobs)
    .set({
      status: "failed",
      errorCode: code,
      errorDetail: detail,
      finishedAt: now,
      stage: null,
      // Kept for an admin's retry until then (expireDueResults deletes it); otherwise gone with the run.
      ...(keepInputUntil === null ? { inputPath: null } : { expiresAt: keepInputUntil }),
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.workerId, workerId)))
    .returning()
    .get();
}

/** running → queued (graceful shutdown): the attempt is given back, nothing is refunded. */
export function releaseJob(h: DbHandle, id: number, workerId: string): JobRow | undefined {
  return h.db
    .update(jobs)
    .set({
      status: "queued",
      workerId: null,
      heartbeatAt: null,
      startedAt: null,
      progress: 0,
      stage: null,
      attempts: sql`max(${jobs.attempts} - 1, 0)`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running"), eq(jobs.workerId, workerId)))
    .returning()
    .get();
}

/** queued|running → cancelled. Returns the row as it was cancelled, or undefined if it had finished. */
export function markJobCancelled(h: DbHandle, publicId: string, now: number): JobRow | undefined {
  return h.db
    .update(jobs)
    .set({ status: "cancelled", errorCode: "cancelled", finishedAt: now, stage: null })
    .where(and(eq(jobs.publicId, publicId), inArray(jobs.status, ["queued", "running"])))
    .returning()
    .get();
}

/** Public ids of a user's queued jobs: rows carrying their user id or one of their owner keys. */
export function queuedIdsOfUser(h: DbHandle, userId: number, ownerKeys: readonly string[]): string[] {
  const mine = ownerKeys.length
    ? or(eq(jobs.userId, userId), inArray(jobs.ownerKey, [...ownerKeys]))
    : eq(jobs.userId, userId);
  return h.db
    .select({ publicId: jobs.publicId })
    .from(jobs)
    .where(and(eq(jobs.status, "queued"), mine))
    .orderBy(asc(jobs.id))
    .all()
    .map((r) => r.publicId);
}

/** Forgets the input path once the upload file is deleted. */
export function clearInputPath(h: DbHandle, id: number): void {
  h.db.update(jobs).set({ inputPath: null }).where(eq(jobs.id, id)).run();
}

export function setBotMessageIds(h: DbHandle, publicId: string, chatId: string, messageId: number): void {
  h.db
    .update(jobs)
    .set({ botChatId: chatId, botMessageId: messageId })
    .where(eq(jobs.publicId, publicId))
    .run();
}

/**
 * Running rows not owned by `exceptWorker` (or with a heartbeat before `staleBefore`) go back to queued,
 * or to failed `interrupted` once they have been started `maxAttempts` times. One transaction.
 */
export function requeueAbandoned(
  h: DbHandle,
  opts: AbandonedOptions,
): { requeued: JobRow[]; failed: JobRow[] } {
  const abandoned = and(
    eq(jobs.status, "running"),
    opts.exceptWorker === undefined ? undefined : sql`coalesce(${jobs.workerId}, '') <> ${opts.exceptWorker}`,
    opts.staleBefore === undefined ? undefined : sql`coalesce(${jobs.heartbeatAt}, 0) < ${opts.staleBefore}`,
    opts.exceptWorkers?.length
      ? sql`coalesce(${jobs.workerId}, '') NOT IN (${sql.join(
          opts.exceptWorkers.map((w) => sql`${w}`),
          sql`, `,
        )})`
      : undefined,
  );
  return withImmediateTx(h.sqlite, () => {
    const failed = h.db
      .update(jobs)
      .set({
        status: "failed",
        errorCode: "interrupted",
        errorDetail: "abandoned",
        finishedAt: opts.now,
        stage: null,
      })
      .where(and(abandoned, sql`${jobs.attempts} >= ${opts.maxAttempts}`))
      .returning()
      .all();
    const requeued = h.db
      .update(jobs)
      .set({ status: "queued", workerId: null, heartbeatAt: null, startedAt: null, progress: 0, stage: null })
      .where(abandoned)
      .returning()
      .all();
    return { requeued, failed };
  });
}

/** done rows whose result is past `expires_at` → expired (result path cleared). Returns the old rows. */
export function expireDueResults(h: DbHandle, now: number): JobRow[] {
  return withImmediateTx(h.sqlite, () => {
    const due = h.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.status, "done"), lte(jobs.expiresAt, now)))
      .all();
    // Failed jobs' uploads kept for a retry (MM_FAILED_INPUT_KEEP_H): the row stays failed, the input goes.
    const kept = h.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.status, "failed"), isNotNull(jobs.inputPath), lte(jobs.expiresAt, now)))
      .all();
    if (due.length > 0)
      h.db
        .update(jobs)
        .set({ status: "expired", resultPath: null })
        .where(
          inArray(
            jobs.id,
            due.map((r) => r.id),
          ),
        )
        .run();
    if (kept.length > 0)
      h.db
        .update(jobs)
        .set({ inputPath: null })
        .where(
          inArray(
            jobs.id,
            kept.map((r) => r.id),
          ),
        )
        .run();
    return [...due, ...kept];
  });
}

/** True when at least one job waits in the queue (one indexed lookup). */
export function hasQueuedJobs(h: DbHandle): boolean {
  return h.sqlite.query("SELECT 1 FROM jobs WHERE status = 'queued' LIMIT 1").get() !== null;
}

/**
 * Re-points every job of one owner (by owner key, or by user id) to another: the Telegram link merging a
 * bot user into a web account. One UPDATE, so it joins the caller's transaction or is atomic on its own.
 */
export function reassignJobOwner(
  h: DbHandle,
  from: { userId: number; ownerKey: string },
  to: { userId: number; ownerKey: string },
): number {
  const { jobs } = schema;
  return h.db
    .update(jobs)
    .set({ userId: to.userId, ownerKey: to.ownerKey })
    .where(sql`${jobs.ownerKey} = ${from.ownerKey} or ${jobs.userId} = ${from.userId}`)
    .returning({ id: jobs.id })
    .all().length;
}
