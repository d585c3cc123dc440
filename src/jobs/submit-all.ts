// Submitting several validated uploads as one request (a batch, an album, the bot's group of files):
// all or nothing, so a refusal halfway leaves no job queued, nothing charged and no upload on disk.

import { discardFiles } from "../files";
import type { JobService, JobView, SubmitRequest } from "./types";

/**
 * Submits one job per file in one store transaction (JobService.submitUploads): `guard` (the tier check)
 * runs first, then the whole set is queued or none of it — a set larger than the owner's room in the queue,
 * a billing refusal or a failed insert writes no row and no charge, and a crash halfway commits nothing, so
 * a replayed request (the bot's update) finds no part of it and submits it whole. On any refusal every
 * upload is deleted before the error propagates.
 */
export async function submitAll<F extends { path: string }>(
  jobs: JobService,
  files: readonly F[],
  toRequest: (f: F, index: number) => SubmitRequest,
  guard?: () => void,
): Promise<JobView[]> {
  try {
    guard?.();
    // Built after the guard: it sets what the requests carry (the tier's queue priority).
    return await jobs.submitUploads(files.map(toRequest));
  } catch (err) {
    await discardFiles(files.map((f) => f.path));
    throw err;
  }
}
