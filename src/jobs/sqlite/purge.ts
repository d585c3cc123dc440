// SQLite side of deleting a user's job files (an admin deleted the account): which rows still hold files
// or are active, and forgetting the paths once the files are gone (done rows become expired, as a TTL would).
import { and, eq, inArray, isNotNull, or } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { JobFiles } from "../store";

const { jobs } = schema;

const mine = (userId: number, ownerKeys: readonly string[]) =>
  ownerKeys.length
    ? or(eq(jobs.userId, userId), inArray(jobs.ownerKey, [...ownerKeys]))
    : eq(jobs.userId, userId);

/** The user's rows that are active or still name a file. */
export function filesOfUser(h: DbHandle, userId: number, ownerKeys: readonly string[]): JobFiles[] {
  return h.db
    .select({
      id: jobs.id,
      publicId: jobs.publicId,
      status: jobs.status,
      inputPath: jobs.inputPath,
      resultPath: jobs.resultPath,
    })
    .from(jobs)
    .where(
      and(
        mine(userId, ownerKeys),
        or(
          isNotNull(jobs.inputPath),
          isNotNull(jobs.resultPath),
          inArray(jobs.status, ["queued", "running"]),
        ),
      ),
    )
    .all();
}

/** Clears the file paths of these rows; done ones become expired (their result is gone). */
export function forgetFiles(h: DbHandle, ids: readonly number[], now: number): void {
  if (!ids.length) return;
  h.db
    .update(jobs)
    .set({ inputPath: null, resultPath: null })
    .where(inArray(jobs.id, [...ids]))
    .run();
  h.db
    .update(jobs)
    .set({ status: "expired", expiresAt: now })
    .where(and(inArray(jobs.id, [...ids]), eq(jobs.status, "done")))
    .run();
}
