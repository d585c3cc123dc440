// Postgres reads of the job store (health, metrics, alerts, admin tools, a user's history) and the small
// writes that go with them (files of a deleted user, the bot's message ids, owner reassignment). Same
// queries as ../sqlite/{reports,history,purge,queue}.ts; counts and sums come back as numbers (client.ts).
// Text compared or sorted for a cursor uses COLLATE "C": bytewise, like SQLite, whatever the server's locale.

import { type PgClient, placeholders, schema } from "../../db";

const { JOB_STATUSES } = schema;
type JobStatus = schema.JobStatus;

import type {
  AdminJobLine,
  FailureLine,
  JobCounts,
  JobFiles,
  JobRecord,
  JobRow,
  JobWindowStats,
  OwnerRef,
  UserJobCounts,
  UserJobsCursor,
} from "../store";
import { fromRaw, RECORD_COLUMNS } from "./queue";

const rows = (pg: PgClient, sql: string, params: unknown[] = []): JobRow[] =>
  pg.all(sql, params).map(fromRaw);
export const records = (pg: PgClient, sql: string, params: unknown[] = []): JobRecord[] =>
  pg.all(sql, params).map((raw) => {
    const { accessToken: _t, ...rest } = fromRaw(raw);
    return rest;
  });

export const findByPublicId = (pg: PgClient, publicId: string): JobRow | undefined =>
  rows(pg, "SELECT * FROM jobs WHERE public_id = $1", [publicId])[0];

export const listByOwner = (pg: PgClient, ownerKey: string, limit: number): JobRow[] =>
  rows(pg, "SELECT * FROM jobs WHERE owner_key = $1 ORDER BY created_at DESC, id DESC LIMIT $2", [
    ownerKey,
    limit,
  ]);

export const listByBatch = (pg: PgClient, batchId: string): JobRow[] =>
  rows(pg, "SELECT * FROM jobs WHERE batch_id = $1 ORDER BY id", [batchId]);

/** `user_id = $1 OR owner_key IN (…)`, the owner keys bound after `before` parameters. */
function mine(ownerKeys: readonly string[], before: number): string {
  return ownerKeys.length
    ? `(user_id = $1 OR owner_key IN (${placeholders(ownerKeys.length, before)}))`
    : "user_id = $1";
}

export function queuedOfUser(pg: PgClient, userId: number, ownerKeys: readonly string[]): string[] {
  return pg
    .all<{ public_id: string }>(
      `SELECT public_id FROM jobs WHERE status = 'queued' AND ${mine(ownerKeys, 1)} ORDER BY id`,
      [userId, ...ownerKeys],
    )
    .map((r) => r.public_id);
}

export function filesOfUser(pg: PgClient, userId: number, ownerKeys: readonly string[]): JobFiles[] {
  return pg.all<JobFiles>(
    `SELECT id, public_id AS "publicId", status, input_path AS "inputPath", result_path AS "resultPath"
       FROM jobs WHERE ${mine(ownerKeys, 1)}
        AND (input_path IS NOT NULL OR result_path IS NOT NULL OR status IN ('queued', 'running'))`,
    [userId, ...ownerKeys],
  );
}

export function forgetFiles(pg: PgClient, ids: readonly number[], now: number): void {
  if (!ids.length) return;
  const list = placeholders(ids.length, 1);
  pg.tx(() => {
    pg.run(`UPDATE jobs SET input_path = NULL, result_path = NULL WHERE id IN (${list})`, [now, ...ids]);
    pg.run(`UPDATE jobs SET status = 'expired', expires_at = $1 WHERE id IN (${list}) AND status = 'done'`, [
      now,
      ...ids,
    ]);
  });
}

export function reassignOwner(pg: PgClient, from: OwnerRef, to: OwnerRef): number {
  return pg.run("UPDATE jobs SET user_id = $3, owner_key = $4 WHERE owner_key = $1 OR user_id = $2", [
    from.ownerKey,
    from.userId,
    to.userId,
    to.ownerKey,
  ]);
}

export function countByStatus(pg: PgClient): JobCounts {
  const out = { total: 0 } as JobCounts;
  for (const s of JOB_STATUSES) out[s] = 0;
  for (const r of pg.all<{ status: JobStatus; n: number }>(
    "SELECT status, count(*) AS n FROM jobs GROUP BY status",
  )) {
    out[r.status] = r.n;
    out.total += r.n;
  }
  return out;
}

export const countQueued = (pg: PgClient): number =>
  pg.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE status = 'queued'")?.n ?? 0;

export const hasQueued = (pg: PgClient): boolean =>
  pg.get("SELECT 1 AS one FROM jobs WHERE status = 'queued' LIMIT 1") !== undefined;

export const activeLines = (pg: PgClient, limit: number): AdminJobLine[] =>
  pg.all<AdminJobLine>(
    `SELECT public_id AS "publicId", status, owner_key AS "ownerKey", progress, stage,
            original_name AS "originalName", created_at AS "createdAt"
       FROM jobs WHERE status IN ('running', 'queued')
      ORDER BY CASE status WHEN 'running' THEN 0 ELSE 1 END, fair_key, id LIMIT $1`,
    [limit],
  );

export const recentFailures = (pg: PgClient, limit: number): FailureLine[] =>
  pg.all<FailureLine>(
    `SELECT public_id AS "publicId", error_code AS "errorCode", owner_key AS "ownerKey", finished_at AS "finishedAt"
       FROM jobs WHERE status = 'failed' ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT $1`,
    [limit],
  );

export function statsSince(pg: PgClient, since: number): JobWindowStats {
  const r = pg.get<{ done: number; failed: number; rtf: number | null }>(
    `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed,
            avg(realtime_factor) FILTER (WHERE status = 'done') AS rtf
       FROM jobs WHERE finished_at >= $1`,
    [since],
  );
  return { done: r?.done ?? 0, failed: r?.failed ?? 0, mean_realtime_factor: r?.rtf ?? null };
}

export function outcomesSince(pg: PgClient, since: number): { finished: number; failed: number } {
  const r = pg.get<{ finished: number; failed: number }>(
    `SELECT count(*) AS finished, count(*) FILTER (WHERE status = 'failed') AS failed
       FROM jobs WHERE status IN ('done', 'expired', 'failed') AND finished_at >= $1`,
    [since],
  );
  return { finished: r?.finished ?? 0, failed: r?.failed ?? 0 };
}

export function listRecords(pg: PgClient, o: { status?: JobStatus; limit: number }): JobRecord[] {
  return o.status
    ? records(
        pg,
        `SELECT ${RECORD_COLUMNS} FROM jobs WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [o.status, o.limit],
      )
    : records(pg, `SELECT ${RECORD_COLUMNS} FROM jobs ORDER BY created_at DESC, id DESC LIMIT $1`, [o.limit]);
}

export const findRecord = (pg: PgClient, publicId: string): JobRecord | undefined =>
  records(pg, `SELECT ${RECORD_COLUMNS} FROM jobs WHERE public_id = $1`, [publicId])[0];

export function countsOfUser(pg: PgClient, userId: number, ownerKey: string | null): UserJobCounts {
  const r = pg.get<UserJobCounts>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE status = 'done') AS done,
            count(*) FILTER (WHERE status = 'failed') AS failed, max(created_at) AS last_at
       FROM jobs WHERE user_id = $1 OR owner_key = $2`,
    [userId, ownerKey ?? ""],
  );
  return { total: r?.total ?? 0, done: r?.done ?? 0, failed: r?.failed ?? 0, last_at: r?.last_at ?? null };
}

export function pageOfUser(pg: PgClient, userId: number, limit: number, after?: UserJobsCursor): JobRow[] {
  return after
    ? rows(
        pg,
        `SELECT * FROM jobs WHERE user_id = $1
            AND (created_at < $2 OR (created_at = $2 AND public_id COLLATE "C" < $3))
          ORDER BY created_at DESC, public_id COLLATE "C" DESC LIMIT $4`,
        [userId, after.createdAt, after.publicId, limit],
      )
    : rows(
        pg,
        `SELECT * FROM jobs WHERE user_id = $1 ORDER BY created_at DESC, public_id COLLATE "C" DESC LIMIT $2`,
        [userId, limit],
      );
}

export const unsuccessfulEndedSince = (pg: PgClient, since: number): JobRow[] =>
  rows(pg, "SELECT * FROM jobs WHERE status IN ('failed', 'cancelled') AND finished_at >= $1", [since]);
