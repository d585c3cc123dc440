// Postgres inserts of the job store: one queued job, or a batch of them in one transaction (all or
// nothing), each at its fair turn (../sqlite/fair.ts explains the order) with its charge written in the
// same transaction. The owner's advisory lock, held to commit, makes the queued cap and the next turn be
// read and written by one submit of that owner at a time (other owners are not held up).

import { insertSql, type PgClient, pgSchema as pgs } from "../../db";
import { PRIORITY_SLOT } from "../sqlite/fair";
import type { JobRow, NewAlbumReport, NewJobRow } from "../store";
import { insertAlbumReport } from "./album-delivery";
import { fromRaw } from "./queue";

/** Virtual now, the owner's previous turn and queued count, as ../sqlite/fair.ts TURN_SQL (float8 math). */
const TURN_SQL = `SELECT
    coalesce((SELECT max(m) FROM (
        SELECT max(fair_key) AS m FROM jobs WHERE status = 'running'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'done'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'failed'
        UNION ALL SELECT max(fair_key) FROM jobs WHERE status = 'expired') s),
      (SELECT min(fair_key) FROM jobs WHERE status = 'queued'), 0) AS v,
    (SELECT fair_key + priority * $2::float8 FROM jobs WHERE owner_key = $1
      ORDER BY created_at DESC, id DESC LIMIT 1) AS prev,
    (SELECT count(*) FROM jobs WHERE owner_key = $1 AND status = 'queued') AS queued`;

/** Advisory lock keys of owners (hashtext of a namespaced key: other locks use other namespaces). */
const OWNER_LOCK = `SELECT pg_advisory_xact_lock(hashtext('mm.jobs.owner:' || $1))`;

type Turn = { v: number; prev: number | null; queued: number };

const turnOf = (pg: PgClient, ownerKey: string): Turn =>
  pg.get<Turn>(TURN_SQL, [ownerKey, PRIORITY_SLOT]) ?? { v: 0, prev: null, queued: 0 };

/** Inserts `row` at its owner's next turn (the caller holds the owner's lock), charged `charge()`. */
function insertAtTurn(pg: PgClient, row: NewJobRow, charge?: () => number): JobRow {
  const t = turnOf(pg, row.ownerKey);
  const start = t.prev === null ? t.v : Math.max(t.v, t.prev + 1);
  const placed = { ...row, fairKey: start - (row.priority ?? 0) * PRIORITY_SLOT };
  const ins = insertSql(pgs.jobs, charge ? { ...placed, cost: charge() } : placed);
  const raw = pg.get(ins.sql, ins.params);
  if (!raw) throw new Error("store: unable to insert job");
  return fromRaw(raw);
}

export function enqueue(
  pg: PgClient,
  row: NewJobRow,
  maxQueued: number,
  charge?: () => number,
): JobRow | undefined {
  return pg.tx(() => {
    pg.run(OWNER_LOCK, [row.ownerKey]);
    if (turnOf(pg, row.ownerKey).queued >= maxQueued) return undefined;
    return insertAtTurn(pg, row, charge);
  });
}

/**
 * Every row in one transaction, or none: each owner's lock is taken once (in key order, so two batches of
 * the same owners never wait on each other in a cycle), the caps are checked for the whole set before
 * anything is written (undefined: nothing written), and a throw from `charge(i)` or an insert rolls back
 * every row and charge of the set.
 */
export function enqueueAll(
  pg: PgClient,
  rows: readonly NewJobRow[],
  maxQueued: number,
  charge?: (index: number) => number,
  albumReport?: NewAlbumReport,
): JobRow[] | undefined {
  return pg.tx(() => {
    const wanted = new Map<string, number>();
    for (const r of rows) wanted.set(r.ownerKey, (wanted.get(r.ownerKey) ?? 0) + 1);
    const owners = [...wanted.keys()].sort();
    for (const owner of owners) pg.run(OWNER_LOCK, [owner]);
    for (const owner of owners)
      if (turnOf(pg, owner).queued + (wanted.get(owner) ?? 0) > maxQueued) return undefined;
    const out = rows.map((row, i) => insertAtTurn(pg, row, charge && (() => charge(i))));
    if (albumReport) insertAlbumReport(pg, albumReport);
    return out;
  });
}

export function countQueuedOfOwner(pg: PgClient, ownerKey: string): number {
  return turnOf(pg, ownerKey).queued;
}
