// Free disk space against what a job will write. A job that cannot finish for lack of disk is refused
// up front (507), rather than failing mid-render and starving the database of space.

import { statfsSync } from "node:fs";
import { AppError } from "../errors";

const MB = 1024 * 1024;

/** Bytes available to this process on the filesystem holding `dir` (null if it cannot be read). */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** Throws AppError insufficient_storage (507) when `dir`'s filesystem has less than `needBytes` free. */
export function ensureFreeSpace(dir: string, needBytes: number): void {
  const free = freeBytes(dir);
  // Unknown free space (statfs unsupported) is not a reason to refuse: a write error will say so.
  if (free === null || free >= needBytes) return;
  throw new AppError("insufficient_storage", 507, {
    need_mb: Math.ceil(needBytes / MB),
    free_mb: Math.floor(free / MB),
  });
}
