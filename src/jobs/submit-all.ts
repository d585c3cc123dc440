// Submitting several validated uploads as one request (a batch, an album, the bot's group of files):
// all or nothing, so a refusal halfway leaves no job queued, nothing charged and no upload on disk.

import { discardFiles } from "../files";
import type { JobService, JobView, SubmitRequest } from "./types";

/**
 * Submits one job per file, all or nothing: `guard` (the tier check) runs first, then a batch larger than
 * the owner's room in the queue is refused whole (queue_limit_reached) before anything is charged; if
 * billing refuses one, the jobs already queued are cancelled (and refunded); either way every remaining
 * upload is deleted before the error propagates.
 */
export async function submitAll<F extends { path: string }>(
  jobs: JobService,
  files: readonly F[],
  toRequest: (f: F, index: number) => SubmitRequest,
  guard?: () => void,
): Promise<JobView[]> {
  const out: JobView[] = [];
  try {
    guard?.();
    const first = files[0];
    if (first) jobs.assertQueueRoom(toRequest(first, 0).ownerKey, files.length);
    for (const [i, f] of files.entries()) out.push(await jobs.submitUpload(toRequest(f, i)));
    return out;
  } catch (err) {
    for (const j of out) jobs.cancel(j.id, "system:batch_rollback");
    await discardFiles(files.slice(out.length).map((f) => f.path));
    throw err;
  }
}
