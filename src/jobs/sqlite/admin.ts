// SQL of the admin panel's job tools: a filtered page of records, taking a kept input for a retry, and
// deleting a result early. Transitions are guarded like the queue's, so a race changes a row once.

import { and, desc, eq, getTableColumns, inArray, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { AdminJobFilter, JobRecord, JobRow } from "../store";

const { jobs } = schema;

/** Records newest first (by id), filtered; one more than `limit` tells the caller another page follows. */
export function searchJobRecords(h: DbHandle, f: AdminJobFilter): JobRecord[] {
  const where: SQL[] = [];
  if (f.status?.length) where.push(inArray(jobs.status, [...f.status]));
  if (f.source) where.push(eq(jobs.source, f.source));
  if (f.userId !== undefined) where.push(eq(jobs.userId, f.userId));
  if (f.ownerKey) where.push(eq(jobs.ownerKey, f.ownerKey));
  if (f.beforeId !== undefined) where.push(lt(jobs.id, f.beforeId));
  if (f.text) {
    const needle = f.text.toLowerCase();
    where.push(
      sql`(${jobs.publicId} = ${f.text.toUpperCase()} or instr(lower(${jobs.originalName}), ${needle}) > 0)`,
    );
  }
  const { accessToken: _t, ...columns } = getTableColumns(jobs);
  return h.db
    .select(columns)
    .from(jobs)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(jobs.id))
    .limit(f.limit)
    .all();
}

/**
 * Takes the kept input of a failed or cancelled row (clears its path) for a retry: the path, or undefined
 * when another retry took it first or there is none.
 */
export function takeInput(h: DbHandle, id: number): string | undefined {
  // Read then clear in one write transaction (RETURNING would give the cleared value).
  return withImmediateTx(h.sqlite, () => {
    const row = h.db
      .select({ path: jobs.inputPath })
      .from(jobs)
      .where(and(eq(jobs.id, id), isNotNull(jobs.inputPath), inArray(jobs.status, ["failed", "cancelled"])))
      .get();
    if (!row?.path) return undefined;
    h.db.update(jobs).set({ inputPath: null }).where(eq(jobs.id, id)).run();
    return row.path;
  });
}

/** Gives a taken input back (the retry's insert failed). */
export function giveInputBack(h: DbHandle, id: number, path: string): void {
  h.db.update(jobs).set({ inputPath: path }).where(eq(jobs.id, id)).run();
}

/** done → expired now, result path cleared; the row as it was (its result path to delete), or undefined. */
export function expireResultNow(h: DbHandle, publicId: string, now: number): JobRow | undefined {
  return withImmediateTx(h.sqlite, () => {
    const row = h.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.publicId, publicId), eq(jobs.status, "done")))
      .get();
    if (!row) return undefined;
    h.db
      .update(jobs)
      .set({ status: "expired", resultPath: null, expiresAt: now })
      .where(eq(jobs.id, row.id))
      .run();
    return row;
  });
}
