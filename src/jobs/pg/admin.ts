// Postgres side of the admin job tools and of retention: a filtered page of records, a kept input taken
// once for a retry, a result deleted early, one day's figures for stats_daily, deleting old rows in short
// batches, and the paths and ids clean-up must keep. Same rules as ../sqlite/{admin,retention}.ts.

import type { PgClient } from "../../db";
import { storedFilesOf } from "../naming";
import type { AdminJobFilter, JobDaySummary, JobRecord, JobRow } from "../store";
import { fromRaw, RECORD_COLUMNS } from "./queue";
import { records } from "./reads";

export function searchRecords(pg: PgClient, f: AdminJobFilter): JobRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.status?.length) where.push(`status IN (${f.status.map(bind).join(", ")})`);
  if (f.source) where.push(`source = ${bind(f.source)}`);
  if (f.userId !== undefined) where.push(`user_id = ${bind(f.userId)}`);
  if (f.ownerKey) where.push(`owner_key = ${bind(f.ownerKey)}`);
  if (f.beforeId !== undefined) where.push(`id < ${bind(f.beforeId)}`);
  if (f.text)
    where.push(
      `(public_id = ${bind(f.text.toUpperCase())} OR strpos(lower(original_name), ${bind(f.text.toLowerCase())}) > 0)`,
    );
  const sql = `SELECT ${RECORD_COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id DESC LIMIT ${bind(f.limit)}`;
  return records(pg, sql, params);
}

export function takeInput(pg: PgClient, id: number): string | undefined {
  return pg.tx(() => {
    const row = pg.get<{ path: string | null }>(
      `SELECT input_path AS path FROM jobs
        WHERE id = $1 AND input_path IS NOT NULL AND status IN ('failed', 'cancelled') FOR UPDATE`,
      [id],
    );
    if (!row?.path) return undefined;
    pg.run("UPDATE jobs SET input_path = NULL WHERE id = $1", [id]);
    return row.path;
  });
}

export function giveInputBack(pg: PgClient, id: number, path: string): void {
  pg.run("UPDATE jobs SET input_path = $2 WHERE id = $1", [id, path]);
}

/** done → expired now; the row as it was (its result path to delete), or undefined. */
export function expireResultNow(pg: PgClient, publicId: string, now: number): JobRow | undefined {
  const raw = pg.get(
    `WITH old AS (SELECT * FROM jobs WHERE public_id = $1 AND status = 'done' FOR UPDATE)
     UPDATE jobs SET status = 'expired', result_path = NULL, expires_at = $2 FROM old
      WHERE jobs.id = old.id RETURNING old.*`,
    [publicId, now],
  );
  return raw ? fromRaw(raw) : undefined;
}

/** The time a job left the queue for good (older rows may lack finished_at). */
const FINISHED = "coalesce(finished_at, created_at)";
/** "finished in [from, to)" in the form that can use jobs_finished_idx (see ../sqlite/retention.ts). */
const endedBefore = (to: string) => `((finished_at < ${to}) OR (finished_at IS NULL AND created_at < ${to}))`;
const endedBetween = (from: string, to: string) =>
  `((finished_at >= ${from} AND finished_at < ${to}) OR (finished_at IS NULL AND created_at >= ${from} AND created_at < ${to}))`;

export function daySummary(pg: PgClient, start: number, end: number): JobDaySummary {
  const done = "status IN ('done', 'expired')";
  const j = pg.get<{
    done: number;
    failed: number;
    cancelled: number;
    audio_s: number | null;
    rtf: number | null;
  }>(
    `SELECT count(*) FILTER (WHERE ${done}) AS done, count(*) FILTER (WHERE status = 'failed') AS failed,
            count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
            sum(audio_duration_s) FILTER (WHERE ${done} AND kind = 'master') AS audio_s,
            avg(realtime_factor) FILTER (WHERE ${done} AND kind = 'master') AS rtf
       FROM jobs WHERE ${endedBetween("$1", "$2")}`,
    [start, end],
  );
  const keys = pg.all<{ k: string }>(
    `SELECT DISTINCT CASE WHEN user_id IS NOT NULL THEN 'u' || user_id ELSE owner_key END AS k
       FROM jobs WHERE created_at >= $1 AND created_at < $2`,
    [start, end],
  );
  return {
    done: j?.done ?? 0,
    failed: j?.failed ?? 0,
    cancelled: j?.cancelled ?? 0,
    audioS: j?.audio_s ?? 0,
    meanRealtimeFactor: j?.rtf ?? null,
    activeKeys: keys.map((r) => r.k),
  };
}

/** Finished before $1 and never a result still downloadable (a done row keeps its file until expiry). */
const DELETABLE = `${endedBefore("$1")} AND (status IN ('failed', 'cancelled', 'expired') OR (status = 'done'
  AND (result_path IS NULL OR (expires_at IS NOT NULL AND expires_at <= $2))))`;

export function datesOfDeletable(pg: PgClient, before: number, now: number): string[] {
  return pg
    .all<{ d: string }>(
      `SELECT DISTINCT to_char(to_timestamp(${FINISHED} / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d
         FROM jobs WHERE ${DELETABLE}`,
      [before, now],
    )
    .map((r) => r.d);
}

// An input's reference siblings (naming.ts) belong to the row like the input itself.
export function deleteOld(pg: PgClient, before: number, now: number, limit: number) {
  const rows = pg.all<{ input: string | null; result: string | null }>(
    `WITH gone AS (SELECT id FROM jobs WHERE ${DELETABLE} LIMIT $3 FOR UPDATE SKIP LOCKED)
     DELETE FROM jobs WHERE id IN (SELECT id FROM gone) RETURNING input_path AS input, result_path AS result`,
    [before, now, limit],
  );
  return { deleted: rows.length, paths: storedFilesOf(rows) };
}

export function referencedPaths(pg: PgClient): Set<string> {
  const rows = pg.all<{ input: string | null; result: string | null }>(
    `SELECT input_path AS input, result_path AS result FROM jobs
      WHERE input_path IS NOT NULL OR result_path IS NOT NULL`,
  );
  return new Set(storedFilesOf(rows));
}

export function activePublicIds(pg: PgClient): Set<string> {
  const rows = pg.all<{ id: string }>(
    "SELECT public_id AS id FROM jobs WHERE status IN ('queued', 'running')",
  );
  return new Set(rows.map((r) => r.id));
}
