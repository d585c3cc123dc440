// The fair queue on SQLite: where a new job enters the claim order, the claim itself, and a queued job's
// place. Start-time fair queueing: every owner's jobs take turns in "virtual time". A new job's turn is
// max(now in virtual time V, the owner's previous turn + 1), so an owner who queues 20 jobs holds turns
// V..V+19 while a newcomer enters at V: owners alternate, and a burst from one never starves another.
// Priority is a bounded boost, not a separate band: each point moves a job PRIORITY_SLOT turns earlier
// (a measure, priority 10, one turn), so quick work is quick without jumping a whole queue. Nothing
// ages: every job's key is fixed and new jobs enter at or after V, so each waiting job reaches the head.

import type { Database, Statement } from "bun:sqlite";
import { type DbHandle, withImmediateTx } from "../../db";
import type { JobRow, NewJobRow } from "../store";

/** Turns one priority point is worth (priority 10 = one turn ahead). */
export const PRIORITY_SLOT = 0.1;

/**
 * Virtual now: the highest turn ever claimed (running or finished rows; a job cancelled before it ran was
 * never served and does not count), else the head of the queue, else 0 — four max() and one min() lookups
 * on jobs_fair_idx. The owner's previous turn: that of its latest job (an owner's turns only grow), boost
 * removed, one lookup on jobs_owner_idx; it covers finished jobs too, so an owner whose jobs end at once
 * cannot re-enter at the head with every new job. And the owner's queued count for the cap: a walk of
 * the owner's rows on jobs_owner_idx, paid once per submit rather than an index every claim rewrites.
 */
const TURN_SQL = `SELECT
    coalesce((SELECT max(m) FROM (
        SELECT max(fair_key) AS m FROM jobs WHERE status = 'running'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'done'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'failed'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'expired')),
      (SELECT min(fair_key) FROM jobs WHERE status = 'queued'), 0) AS v,
    (SELECT fair_key + priority * ${PRIORITY_SLOT} FROM jobs WHERE owner_key = ?1
      ORDER BY created_at DESC, id DESC LIMIT 1) AS prev,
    (SELECT count(*) FROM jobs WHERE owner_key = ?1 AND status = 'queued') AS queued`;

/**
 * The claim, one statement: the queued row with the lowest turn (then the lowest id) whose owner runs
 * fewer than ?3 jobs, flipped to running. The walk is in jobs_fair_idx order (status, fair_key, rowid):
 * no sort, and rows are skipped only while their owner is at its running limit. The per-owner count reads
 * the running rows of the same index (few: at most MM_WORKERS per process); `+owner_key` keeps the planner
 * off jobs_owner_idx, which would walk the owner's whole history. No index of its own on purpose: every
 * index holding `status` is rewritten by every claim (one more costs ~30 % of claims/s).
 * EXPLAIN QUERY PLAN (test/unit/jobs/claim.test.ts):
 *   SEARCH jobs USING INTEGER PRIMARY KEY (rowid=?)
 *   SCALAR SUBQUERY: SEARCH q USING INDEX jobs_fair_idx (status=?)
 *     CORRELATED SCALAR SUBQUERY: SEARCH r USING INDEX jobs_fair_idx (status=?)
 */
export const CLAIM_SQL = `UPDATE jobs
  SET status = 'running', worker_id = ?1, started_at = ?2, heartbeat_at = ?2, attempts = attempts + 1
  WHERE status = 'queued' AND id = (
    SELECT q.id FROM jobs q
    WHERE q.status = 'queued'
      AND (SELECT count(*) FROM jobs r WHERE r.status = 'running' AND +r.owner_key = q.owner_key) < ?3
    ORDER BY q.fair_key, q.id LIMIT 1)
  RETURNING *`;

/** Queued rows ahead of (?1 turn, ?2 id) in claim order: a range count on jobs_fair_idx. */
const AHEAD_SQL = `SELECT count(*) AS n FROM jobs
  WHERE status = 'queued' AND (fair_key < ?1 OR (fair_key = ?1 AND id < ?2))`;

type Turn = { v: number; prev: number | null; queued: number };
type Statements = {
  claim: Statement<Record<string, unknown>, [string, number, number]>;
  turn: Statement<Turn, [string]>;
  ahead: Statement<{ n: number }, [number, number]>;
};
/** Prepared once per connection: the claim runs on every pump, so it skips even bun's query cache lookup. */
const prepared = new WeakMap<Database, Statements>();

function statementsFor(h: DbHandle): Statements {
  let st = prepared.get(h.sqlite);
  if (!st) {
    st = {
      claim: h.sqlite.prepare<Record<string, unknown>, [string, number, number]>(CLAIM_SQL),
      turn: h.sqlite.prepare<Turn, [string]>(TURN_SQL),
      ahead: h.sqlite.prepare<{ n: number }, [number, number]>(AHEAD_SQL),
    };
    prepared.set(h.sqlite, st);
  }
  return st;
}

/** `row` at its turn: after the owner's previous turn and not before virtual now, minus its boost. */
function placed(t: Turn | undefined, row: NewJobRow): NewJobRow {
  const { v, prev } = t ?? { v: 0, prev: null };
  const start = prev === null ? v : Math.max(v, prev + 1);
  return { ...row, fairKey: start - (row.priority ?? 0) * PRIORITY_SLOT };
}

/**
 * Inserts a queued job at its fair turn, in one BEGIN IMMEDIATE transaction with the owner's queued count:
 * undefined (nothing written) when the owner already has `maxQueued` jobs waiting.
 */
export function enqueueFair(
  h: DbHandle,
  row: NewJobRow,
  maxQueued: number,
  insert: (row: NewJobRow) => JobRow,
): JobRow | undefined {
  const { turn } = statementsFor(h);
  return withImmediateTx(h.sqlite, () => {
    const t = turn.all(row.ownerKey)[0];
    if ((t?.queued ?? 0) >= maxQueued) return undefined;
    return insert(placed(t, row));
  });
}

/**
 * Several jobs in one BEGIN IMMEDIATE transaction: undefined (nothing written) when an owner's waiting jobs
 * plus its rows of the set exceed `maxQueued`; else each row takes the turn it would have had enqueued
 * right after the one before it (the turn query sees the rows this transaction inserted). A throw from
 * `insert` (or from `after`, run once every row is in: the album report row) rolls back every row of the set.
 */
export function enqueueFairAll(
  h: DbHandle,
  rows: readonly NewJobRow[],
  maxQueued: number,
  insert: (row: NewJobRow, index: number) => JobRow,
  after?: () => void,
): JobRow[] | undefined {
  const { turn } = statementsFor(h);
  return withImmediateTx(h.sqlite, () => {
    const wanted = new Map<string, number>();
    for (const r of rows) wanted.set(r.ownerKey, (wanted.get(r.ownerKey) ?? 0) + 1);
    for (const [owner, n] of wanted) if ((turn.all(owner)[0]?.queued ?? 0) + n > maxQueued) return undefined;
    const out = rows.map((row, i) => insert(placed(turn.all(row.ownerKey)[0], row), i));
    after?.();
    return out;
  });
}

/** Claims the next runnable job (see CLAIM_SQL) in one BEGIN IMMEDIATE … UPDATE … RETURNING. */
export function claimFair(
  h: DbHandle,
  workerId: string,
  maxRunningPerOwner: number,
  now: number,
  fromRaw: (raw: Record<string, unknown>) => JobRow,
): JobRow | undefined {
  const { claim } = statementsFor(h);
  return withImmediateTx(h.sqlite, () => {
    // .all() runs the UPDATE to completion, so COMMIT never meets a statement still in progress.
    const raw = claim.all(workerId, now, maxRunningPerOwner)[0];
    return raw ? fromRaw(raw) : undefined;
  });
}

/** Up to `limit` claims in one BEGIN IMMEDIATE: each sees the ones before it, so the running cap holds exactly. */
export function claimFairBatch(
  h: DbHandle,
  workerId: string,
  maxRunningPerOwner: number,
  now: number,
  limit: number,
  fromRaw: (raw: Record<string, unknown>) => JobRow,
): JobRow[] {
  const { claim } = statementsFor(h);
  return withImmediateTx(h.sqlite, () => {
    const out: JobRow[] = [];
    while (out.length < limit) {
      const raw = claim.all(workerId, now, maxRunningPerOwner)[0];
      if (!raw) break;
      out.push(fromRaw(raw));
    }
    return out;
  });
}

/** 1-based place among queued jobs in claim order (running limits aside). */
export function fairPosition(h: DbHandle, row: Pick<JobRow, "fairKey" | "id">): number {
  return (statementsFor(h).ahead.all(row.fairKey, row.id)[0]?.n ?? 0) + 1;
}

/** Queued jobs of one owner (the queue cap's count). */
export function queuedOfOwner(h: DbHandle, ownerKey: string): number {
  return statementsFor(h).turn.all(ownerKey)[0]?.queued ?? 0;
}
