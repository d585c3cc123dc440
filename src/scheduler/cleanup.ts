// The `cleanup` task: expired results, orphaned upload/result/work files, job rows past
// MM_JOB_RETENTION_DAYS (only once their day is folded into stats_daily) and the bot's handled update ids
// older than two days. Each step is counted; a failing
// step is logged and the next still runs. Never touches a queued/running job's files or an unexpired result.

import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { removeOrphanFiles, removeOrphanObjects } from "../files";
import { jobRetentionCutoff } from "../ops";
import type { Task, TaskCounts, TaskDeps } from "./types";

/** Rows deleted per transaction: small enough that a writer waiting on the lock never notices. */
const DELETE_BATCH = 1000;

/**
 * Telegram keeps an unconfirmed update for at most 24 hours, so an id older than two days can no longer be
 * given again: its bot_updates row has done its job.
 */
export const BOT_UPDATE_KEEP_MS = 2 * 24 * 60 * 60_000;

/** Files younger than this may belong to an upload still streaming or a job being set up. */
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;

function sizeOf(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
  } catch {
    return 0;
  }
}

/** Work folders are named by public id; a queued or running job's folder is never removed. */
function removeOrphanWorkDirs(d: TaskDeps, now: number): { dirs: number; bytes: number } {
  const active = d.jobs.retention.activePublicIds();
  let dirs = 0;
  let bytes = 0;
  let names: string[] = [];
  try {
    names = readdirSync(d.layout.work);
  } catch {
    return { dirs, bytes };
  }
  for (const name of names) {
    if (active.has(name)) continue;
    const path = join(d.layout.work, name);
    try {
      if (now - statSync(path).mtimeMs < ORPHAN_MIN_AGE_MS) continue;
      const size = sizeOf(path);
      rmSync(path, { recursive: true, force: true });
      dirs++;
      bytes += size;
    } catch {
      // Removed meanwhile by the worker that owned it.
    }
  }
  return { dirs, bytes };
}

/** Folds every affected day into stats_daily first, then deletes the rows and any files they named. */
async function deleteOldJobRows(d: TaskDeps, now: number): Promise<TaskCounts> {
  const cutoff = jobRetentionCutoff(now, d.config.MM_JOB_RETENTION_DAYS);
  let folded = 0;
  for (const date of d.jobs.retention.datesOfDeletable(cutoff, now)) {
    if (d.stats.isFolded(date)) continue;
    d.stats.write(date, now);
    folded++;
  }
  let deleted = 0;
  for (;;) {
    const r = d.jobs.retention.deleteOld(cutoff, now, DELETE_BATCH);
    deleted += r.deleted;
    d.jobs.files.remove(r.paths);
    if (r.deleted < DELETE_BATCH) break;
    // Let HTTP, the pool's heartbeats and claims run between batches.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { job_rows_deleted: deleted, days_folded: folded };
}

export const cleanupTask: Task = {
  name: "cleanup",
  schedule: (c) => c.MM_CRON_CLEANUP,
  async run(d) {
    const now = d.now().getTime();
    const counts: TaskCounts = { steps_failed: 0 };
    const step = async (name: string, fn: () => TaskCounts | Promise<TaskCounts>) => {
      try {
        Object.assign(counts, await fn());
      } catch (err) {
        counts.steps_failed = Number(counts.steps_failed) + 1;
        d.log.error("cleanup_step_failed", name, { step: name, err });
      }
    };
    await step("expire_results", () => {
      const r = d.jobs.expireResults(now);
      return { results_expired: r.expired, result_bytes_freed: r.bytesFreed };
    });
    await step("orphan_files", () => {
      const r = removeOrphanFiles(d.layout, d.jobs.retention.referencedPaths(), now, ORPHAN_MIN_AGE_MS);
      return { orphan_files_removed: r.files_removed, orphan_bytes_freed: r.bytes_freed };
    });
    // A bucket: the same sweep over its objects (the data folder above then holds only working copies).
    if (d.jobs.files.kind !== "local")
      await step("orphan_objects", () =>
        removeOrphanObjects(d.jobs.files, d.jobs.retention.referencedPaths(), now, ORPHAN_MIN_AGE_MS),
      );
    await step("orphan_work_dirs", () => {
      const r = removeOrphanWorkDirs(d, now);
      return { work_dirs_removed: r.dirs, work_bytes_freed: r.bytes };
    });
    await step("job_rows", () => deleteOldJobRows(d, now));
    const botUpdates = d.botUpdates;
    if (botUpdates)
      await step("bot_updates", () => ({ bot_updates_deleted: botUpdates.prune(now - BOT_UPDATE_KEEP_MS) }));
    const freed = [
      "result_bytes_freed",
      "orphan_bytes_freed",
      "object_bytes_freed",
      "work_bytes_freed",
    ].reduce((sum, k) => sum + (typeof counts[k] === "number" ? (counts[k] as number) : 0), 0);
    return { ...counts, bytes_freed: freed };
  },
};
