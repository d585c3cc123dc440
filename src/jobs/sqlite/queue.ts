// SQLite queue of the job store: insert, claim and every state transition. Transitions are guarded by the
// status they leave, so a row changes state once even when the worker, a cancel and a sweep race.

import type { Database, Statement } from "bun:sqlite";
import { and, asc, desc, eq, getTableColumns, inArray, lt, lte, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { AbandonedOptions, DoneFields, JobRow, NewJobRow } from "../store";

const { jobs } = schema;

/** SQL column name → drizzle property, for the hot path that bypasses the query builder. */
const COLUMN_KEYS = Object.entries(getTableColumns(jobs)).map(([key, col]) => [col.name, key] as const);

/** Maps a raw `RETURNING *` row to a JobRow (drizzle's builder costs ~2 ms per UPDATE … RETURNING). */
function fromRaw(raw: Record<string, unknown>): JobRow {
  const out: Record<string, unknown> = {};
  for (const [name, key] of COLUMN_KEYS) out[key] = raw[name];
  return out as JobRow;
}

/** Inserts a queued job; returns the row (throws on a public id collision, which the caller retries). */
export function insertJob(h: DbHandle, row: NewJobRow): JobRow {
  const [out] = h.db.insert(jobs).values(row).returning().all();
  if (!out) throw new Error("store: unable to insert job");
  return out;
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

/** 1-based place among queued jobs in claim order (priority desc, then oldest). */
export function queuePosition(h: DbHandle, row: JobRow): number {
  const ahead = h.db
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(
      and(
        eq(jobs.status, "queued"),
        or(
          sql`${jobs.priority} > ${row.priority}`,
          and(
            eq(jobs.priority, row.priority),
            or(
              lt(jobs.createdAt, row.createdAt),
              and(eq(jobs.createdAt, row.createdAt), lt(jobs.id, row.id)),
            ),
          ),
        ),
      ),
    )
    .get();
  return (ahead?.n ?? 0) + 1;
}

/**
 * The claim as one statement: the oldest queued row at the highest queued priority below `?4` whose
 * owner runs fewer than `?3` jobs, flipped to running. `?4` (exclusive) walks the priority levels so every
 * lookup is an in-order walk of jobs_claim_idx (status, priority, created_at [, rowid]): a single
 * ORDER BY priority DESC, created_at ASC would sort the whole top level on every claim. The per-owner count
 * is correlated but only reads `status = 'running'` rows of the same index (`+owner_key` keeps the planner
 * off jobs_owner_idx, which would walk the owner's whole history). EXPLAIN QUERY PLAN:
 *   SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)
 *   SCALAR SUBQUERY: SEARCH q USING INDEX jobs_claim_idx (status=? AND priority=?)
 *     SCALAR SUBQUERY: SEARCH jobs USING COVERING INDEX jobs_claim_idx (status=? AND priority<?)
 *     CORRELATED SCALAR SUBQUERY: SEARCH r USING INDEX jobs_claim_idx (status=?)
 */
export const CLAIM_SQL = `UPDATE jobs
  SET status = 'running', worker_id = ?1, started_at = ?2, heartbeat_at = ?2, attempts = attempts + 1
  WHERE status = 'queued' AND id = (
    SELECT q.id FROM jobs q
    WHERE q.status = 'queued'
      AND q.priority = (SELECT max(priority) FROM jobs WHERE status = 'queued' AND priority < ?4)
      AND (SELECT count(*) FROM jobs r WHERE r.status = 'running' AND +r.owner_key = q.owner_key) < ?3
    ORDER BY q.created_at ASC, q.id ASC LIMIT 1)
  RETURNING *`;

/** Highest queued priority below `?` (the next level to try when every owner at this one is at its limit). */
const NEXT_LEVEL_SQL = "SELECT max(priority) AS p FROM jobs WHERE status = 'queued' AND priority < ?";

type ClaimStatements = {
  claim: Statement<Record<string, unknown>, [string, number, number, number]>;
  nextLevel: Statement<{ p: number | null }, [number]>;
};
/** Prepared once per connection: the claim runs on every pump, so it skips even bun's query cache lookup. */
const claimStatements = new WeakMap<Database, ClaimStatements>();

function statementsFor(h: DbHandle): ClaimStatements {
  let st = claimStatements.get(h.sqlite);
  if (!st) {
    st = {
      claim: h.sqlite.prepare<Record<string, unknown>, [string, number, number, number]>(CLAIM_SQL),
      nextLevel: h.sqlite.prepare<{ p: number | null }, [number]>(NEXT_LEVEL_SQL),
    };
    claimStatements.set(h.sqlite, st);
  }
  return st;
}

/**
 * Claims the next runnable job in one BEGIN IMMEDIATE transaction ending in UPDATE … RETURNING: highest
 * priority, then oldest, skipping owners that already run `maxPerOwner` jobs. Usually one statement;
 * only when every queued owner at the top level is at its limit does it step down a level (CLAIM_SQL).
 * Returns undefined when nothing is runnable.
 */
export function claimNextJob(
  h: DbHandle,
  workerId: string,
  maxPerOwner: number,
  now: number,
): JobRow | undefined {
  const { claim, nextLevel } = statementsFor(h);
  return withImmediateTx(h.sqlite, () => {
    let below = Number.MAX_SAFE_INTEGER;
    for (;;) {
      // .all() runs the UPDATE to completion, so COMMIT never meets a statement still in progress.
      const raw = claim.all(workerId, now, maxPerOwner, below)[0];
      if (raw) return fromRaw(raw);
      const p = nextLevel.all(below)[0]?.p;
      if (p === null || p === undefined) return undefined;
      below = p;
    }
  });
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
) {
  return h.db
    .update(jobs)
    .set({
      status: "failed",
      errorCode: code,
      errorDetail: detail,
      finishedAt: now,
      stage: null,
      inputPath: null,
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
    if (due.length === 0) return [];
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
    return due;
  });
}

/** True when at least one job waits in the queue (one indexed lookup). */
export function hasQueuedJobs(h: DbHandle): boolean {
  return h.sqlite.query("SELECT 1 FROM jobs WHERE status = 'queued' LIMIT 1").get() !== null;
}
