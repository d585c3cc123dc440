// SQLite inserts of the job store: one queued job, or a batch of them in one transaction (all or nothing),
// each at its fair turn (fair.ts) and with its charge written in the same transaction.

import { type DbHandle, schema } from "../../db";
import type { JobRow, NewAlbumReport, NewJobRow } from "../store";
import { insertAlbumReport } from "./album-delivery";
import { enqueueFair, enqueueFairAll } from "./fair";

/** Inserts a row as given; returns it (throws on a public id collision, which the caller retries). */
function insertJob(h: DbHandle, row: NewJobRow): JobRow {
  const [out] = h.db.insert(schema.jobs).values(row).returning().all();
  if (!out) throw new Error("store: unable to insert job");
  return out;
}

/**
 * Inserts a queued job at its fair turn; undefined when its owner already has `maxQueued` waiting. `charge`
 * runs in the insert's transaction and sets the row's cost.
 */
export function enqueueJob(
  h: DbHandle,
  row: NewJobRow,
  maxQueued: number,
  charge?: () => number,
): JobRow | undefined {
  return enqueueFair(h, row, maxQueued, (r) => insertJob(h, charge ? { ...r, cost: charge() } : r));
}

/**
 * Inserts every row in one transaction, or none: undefined when the set does not fit its owners' queued
 * caps; a throw from `charge(i)` (billing refused row i) or from an insert rolls back the rows and charges
 * already written. The billing ledger's writes join this transaction (same connection, `inTransaction`).
 */
export function enqueueJobs(
  h: DbHandle,
  rows: readonly NewJobRow[],
  maxQueued: number,
  charge?: (index: number) => number,
  albumReport?: NewAlbumReport,
): JobRow[] | undefined {
  return enqueueFairAll(
    h,
    rows,
    maxQueued,
    (r, i) => insertJob(h, charge ? { ...r, cost: charge(i) } : r),
    // The album's report row, inside the same transaction.
    albumReport && (() => insertAlbumReport(h, albumReport)),
  );
}
