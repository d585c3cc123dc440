// SQLite reads of one user's jobs for their history (GET /api/auth/history and its CSV export): pages
// newest first by keyset (created_at, public_id), so a page never repeats or skips a row while new jobs
// arrive, and the cursor names no internal id. jobs_user_created_idx serves the WHERE and the ORDER BY.

import { and, desc, eq, lt, or } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { JobRow, UserJobsCursor } from "../store";

const { jobs } = schema;

export function pageOfUser(h: DbHandle, userId: number, limit: number, after?: UserJobsCursor): JobRow[] {
  const older = after
    ? or(
        lt(jobs.createdAt, after.createdAt),
        and(eq(jobs.createdAt, after.createdAt), lt(jobs.publicId, after.publicId)),
      )
    : undefined;
  return h.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.userId, userId), older))
    .orderBy(desc(jobs.createdAt), desc(jobs.publicId))
    .limit(limit)
    .all();
}
