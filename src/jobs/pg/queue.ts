// The Postgres queue of the job store: the claim and every state transition (inserts are in ./enqueue.ts).
// Same order and guards as the SQLite queue (../sqlite/fair.ts explains the fair order); what differs is
// how concurrent writers are kept apart. SQLite has one writer at a time (BEGIN IMMEDIATE); here:
// - the claim is one statement, `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)`: two
//   claimers never take the same row, and neither waits for the other's row; a node with several free
//   slots claims them in one such statement (claimBatch), one round trip instead of one per slot;
// - an enqueue holds a per-owner advisory lock for its transaction (./enqueue.ts), so the owner's queued cap
//   and its next turn are read and written by one submit at a time (other owners are not held up).
// Known difference: the running-per-owner cap is read from the claim's snapshot, so claims racing on
// other nodes can start one extra job of an owner for a moment (bounded by the number of claimers).

import { columnList, type PgClient, pgSchema as pgs, placeholders, rowReader } from "../../db";
import type { AbandonedOptions, DoneFields, JobRow } from "../store";

export const fromRaw = rowReader(pgs.jobs) as (raw: Record<string, unknown>) => JobRow;
export const RECORD_COLUMNS = columnList(pgs.jobs, ["accessToken"]);

/** The claim: the queued row first in fair order whose owner runs fewer than $3, flipped to running. */
export const PG_CLAIM_SQL = `UPDATE jobs
  SET status = 'running', worker_id = $1, started_at = $2, heartbeat_at = $2, attempts = attempts + 1
  WHERE status = 'queued' AND id = (
    SELECT q.id FROM jobs q
    WHERE q.status = 'queued'
      AND (SELECT count(*) FROM jobs r WHERE r.status = 'running' AND r.owner_key = q.owner_key) < $3
    ORDER BY q.fair_key, q.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
  RETURNING *`;

/**
 * The batch claim (a node fills its free slots in one round trip): up to $4 queued rows in fair order whose
 * owners are under $3, locked with SKIP LOCKED, then those that would take an owner past $3 counting the
 * batch itself (row_number within the owner) are let go again at commit. Fewer than $4 may come back while
 * more are runnable (a dropped candidate's place is not refilled): the caller claims again until none.
 */
export const PG_CLAIM_BATCH_SQL = `WITH cand AS (
    SELECT q.id, q.owner_key, q.fair_key FROM jobs q
    WHERE q.status = 'queued'
      AND (SELECT count(*) FROM jobs r WHERE r.status = 'running' AND r.owner_key = q.owner_key) < $3
    ORDER BY q.fair_key, q.id
    LIMIT $4
    FOR UPDATE SKIP LOCKED),
  pick AS (
    SELECT c.id FROM (
      SELECT c.id, row_number() OVER (PARTITION BY c.owner_key ORDER BY c.fair_key, c.id) AS nth,
        (SELECT count(*) FROM jobs r WHERE r.status = 'running' AND r.owner_key = c.owner_key) AS running
      FROM cand c) c
    WHERE c.running + c.nth <= $3)
  UPDATE jobs
  SET status = 'running', worker_id = $1, started_at = $2, heartbeat_at = $2, attempts = attempts + 1
  FROM pick WHERE jobs.id = pick.id AND jobs.status = 'queued'
  RETURNING jobs.*`;

export function queuePosition(pg: PgClient, row: Pick<JobRow, "fairKey" | "id">): number {
  const r = pg.get<{ n: number }>(
    `SELECT count(*) AS n FROM jobs WHERE status = 'queued' AND (fair_key < $1 OR (fair_key = $1 AND id < $2))`,
    [row.fairKey, row.id],
  );
  return (r?.n ?? 0) + 1;
}

export function claimNext(
  pg: PgClient,
  workerId: string,
  maxPerOwner: number,
  now: number,
): JobRow | undefined {
  const raw = pg.get(PG_CLAIM_SQL, [workerId, now, maxPerOwner]);
  return raw ? fromRaw(raw) : undefined;
}

export function claimBatch(
  pg: PgClient,
  workerId: string,
  maxPerOwner: number,
  now: number,
  limit: number,
): JobRow[] {
  if (limit <= 0) return [];
  if (limit === 1) {
    const one = claimNext(pg, workerId, maxPerOwner, now);
    return one ? [one] : [];
  }
  // RETURNING has no order: the caller gets them in claim order.
  return pg
    .all(PG_CLAIM_BATCH_SQL, [workerId, now, maxPerOwner, limit])
    .map(fromRaw)
    .sort((a, b) => a.fairKey - b.fairKey || a.id - b.id);
}

/** One guarded UPDATE … RETURNING *: the row as changed, or undefined when the guard did not hold. */
function update(pg: PgClient, sql: string, params: unknown[]): JobRow | undefined {
  const raw = pg.get(sql, params);
  return raw ? fromRaw(raw) : undefined;
}

const OWNED = `id = $1 AND status = 'running' AND worker_id = $2`;

export function touchHeartbeat(pg: PgClient, id: number, workerId: string, now: number): void {
  pg.run(`UPDATE jobs SET heartbeat_at = $3 WHERE ${OWNED}`, [id, workerId, now]);
}

export function setProgress(
  pg: PgClient,
  id: number,
  progress: number,
  stage: string | null,
  now: number,
): void {
  pg.run(
    `UPDATE jobs SET progress = $2, stage = $3, heartbeat_at = $4 WHERE id = $1 AND status = 'running'`,
    [id, progress, stage, now],
  );
}

export function markDone(pg: PgClient, id: number, workerId: string, f: DoneFields, now: number) {
  return update(
    pg,
    `UPDATE jobs SET status = 'done', progress = 1, stage = NULL, finished_at = $3, input_path = NULL,
       result_path = $4, result_name = $5, result_mime = $6, result_bytes = $7, analysis_before = $8,
       analysis_after = $9, audio_duration_s = $10, realtime_factor = $11, expires_at = $12
     WHERE ${OWNED} RETURNING *`,
    [
      id,
      workerId,
      now,
      f.resultPath,
      f.resultName,
      f.resultMime,
      f.resultBytes,
      f.analysisBefore,
      f.analysisAfter,
      f.audioDurationS,
      f.realtimeFactor,
      f.expiresAt,
    ],
  );
}

export function markFailed(
  pg: PgClient,
  id: number,
  workerId: string,
  code: string,
  detail: string,
  now: number,
  keepInputUntil: number | null,
) {
  // Kept for an admin's retry until then (expireDue clears it); otherwise gone with the run.
  const input = keepInputUntil === null ? "input_path = NULL" : "expires_at = $6";
  return update(
    pg,
    `UPDATE jobs SET status = 'failed', error_code = $3, error_detail = $4, finished_at = $5, stage = NULL,
       ${input} WHERE ${OWNED} RETURNING *`,
    keepInputUntil === null
      ? [id, workerId, code, detail, now]
      : [id, workerId, code, detail, now, keepInputUntil],
  );
}

export function release(pg: PgClient, id: number, workerId: string): JobRow | undefined {
  return update(
    pg,
    `UPDATE jobs SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, started_at = NULL, progress = 0,
       stage = NULL, attempts = greatest(attempts - 1, 0) WHERE ${OWNED} RETURNING *`,
    [id, workerId],
  );
}

export function markCancelled(pg: PgClient, publicId: string, now: number): JobRow | undefined {
  return update(
    pg,
    `UPDATE jobs SET status = 'cancelled', error_code = 'cancelled', finished_at = $2, stage = NULL
     WHERE public_id = $1 AND status IN ('queued', 'running') RETURNING *`,
    [publicId, now],
  );
}

export function requeueAbandoned(
  pg: PgClient,
  o: AbandonedOptions,
): { requeued: JobRow[]; failed: JobRow[] } {
  const params: unknown[] = [];
  const conds = ["status = 'running'"];
  if (o.exceptWorker !== undefined) {
    params.push(o.exceptWorker);
    conds.push(`coalesce(worker_id, '') <> $${params.length}`);
  }
  if (o.staleBefore !== undefined) {
    params.push(o.staleBefore);
    conds.push(`coalesce(heartbeat_at, 0) < $${params.length}`);
  }
  if (o.exceptWorkers?.length) {
    const before = params.length;
    params.push(...o.exceptWorkers);
    conds.push(`coalesce(worker_id, '') NOT IN (${placeholders(o.exceptWorkers.length, before)})`);
  }
  const abandoned = conds.join(" AND ");
  const n = params.length;
  return pg.tx(() => {
    const failed = pg
      .all(
        `UPDATE jobs SET status = 'failed', error_code = 'interrupted', error_detail = 'abandoned',
           finished_at = $${n + 1}, stage = NULL
         WHERE ${abandoned} AND attempts >= $${n + 2} RETURNING *`,
        [...params, o.now, o.maxAttempts],
      )
      .map(fromRaw);
    const requeued = pg
      .all(
        `UPDATE jobs SET status = 'queued', worker_id = NULL, heartbeat_at = NULL, started_at = NULL,
           progress = 0, stage = NULL
         WHERE ${abandoned} RETURNING *`,
        params,
      )
      .map(fromRaw);
    return { requeued, failed };
  });
}

/** done rows past expiry → expired, and failed rows' kept inputs past theirs cleared; the rows as they were. */
export function expireDue(pg: PgClient, now: number): JobRow[] {
  return pg
    .all(
      `WITH due AS (
         SELECT * FROM jobs WHERE status = 'done' AND expires_at <= $1 FOR UPDATE),
       kept AS (
         SELECT * FROM jobs WHERE status = 'failed' AND input_path IS NOT NULL AND expires_at <= $1 FOR UPDATE),
       expire AS (UPDATE jobs SET status = 'expired', result_path = NULL WHERE id IN (SELECT id FROM due)),
       forget AS (UPDATE jobs SET input_path = NULL WHERE id IN (SELECT id FROM kept))
       SELECT *, 0 AS part FROM due UNION ALL SELECT *, 1 AS part FROM kept ORDER BY part, id`,
      [now],
    )
    .map(fromRaw);
}
