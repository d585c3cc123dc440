// Maintenance as plain functions with counted results: restart recovery, the stale-heartbeat sweep and
// result expiry. The scheduler, the CLI and tests call them; each deletes what its rows no longer need.

import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BillingSeam, RefundReason } from "../billing";
import type { DataLayout, FileStore } from "../files";
import type { Logger } from "../log";
import { billableOf, inputFilesOf, resultFilesOf } from "./naming";
import type { JobRow, JobStore } from "./store";
import type { LiveWorkers, RecoveryCounts } from "./types";

/** A job is started at most this many times; a fourth interruption fails it `interrupted`. */
export const MAX_ATTEMPTS = 3;

/** How far back restart recovery looks for a refund lost to a crash (finished rows live 30 days by default). */
export const REFUND_RECONCILE_MS = 30 * 24 * 3600 * 1000;

export type MaintenanceDeps = {
  store: JobStore;
  layout: DataLayout;
  files: FileStore;
  log: Logger;
  billing: BillingSeam;
  publish: (publicId: string, type: "state") => void;
};

const removeQuietly = (path: string): number => {
  try {
    const bytes = statSync(path).size;
    rmSync(path, { recursive: true, force: true });
    return bytes;
  } catch {
    return 0;
  }
};

/**
 * Deletes the partial outputs of interrupted rows and, for rows failed for good, their uploads. `why` says
 * what found them: "restart" (a dead process's rows at start-up) or "stale" (heartbeat too old).
 */
function settleAbandoned(
  d: MaintenanceDeps,
  r: { requeued: JobRow[]; failed: JobRow[] },
  why: "restart" | "stale" | "node_dead",
): RecoveryCounts {
  for (const row of [...r.requeued, ...r.failed]) {
    removeQuietly(join(d.layout.work, row.publicId));
    if (row.resultPath) d.files.remove(resultFilesOf(row.resultPath));
  }
  for (const row of r.requeued)
    d.log.info("job_requeued", why, {
      task_id: row.publicId,
      user_id: row.userId,
      reason: why,
      attempts: row.attempts,
    });
  for (const row of r.failed) {
    if (row.inputPath) d.files.remove(inputFilesOf(row.inputPath));
    d.store.clearInputPath(row.id);
    d.billing.refund({ ...billableOf(row), cost: row.cost }, "interrupted");
    d.log.error("job_failed", "interrupted too many times", {
      task_id: row.publicId,
      user_id: row.userId,
      error_code: "interrupted",
      error: `abandoned (${why}) after ${row.attempts} attempts`,
      stderr_tail: "",
    });
  }
  for (const row of [...r.requeued, ...r.failed]) d.publish(row.publicId, "state");
  return { requeued: r.requeued.length, failed: r.failed.length };
}

/**
 * Start-up recovery: every row left `running` by another (dead) process goes back to `queued`, or to
 * `failed interrupted` after MAX_ATTEMPTS starts. Also removes work folders no running job owns.
 * With `staleBefore` (a shared database: other live nodes run jobs) only rows whose heartbeat is older
 * are taken, and a work folder of a job running anywhere stays (a node on this machine may own it).
 */
export function recoverInterrupted(
  d: MaintenanceDeps,
  workerId: string,
  now: number,
  o: { staleBefore?: number; live?: LiveWorkers } = {},
): RecoveryCounts {
  // Shared database: other running rows may be live nodes' jobs; only dead (or silent) ones are abandoned.
  const { staleBefore, live } = o;
  const shared = staleBefore !== undefined || live !== undefined;
  const r = d.store.requeueAbandoned(
    live
      ? { exceptWorkers: live.workers, staleBefore: live.staleBefore, maxAttempts: MAX_ATTEMPTS, now }
      : staleBefore !== undefined
        ? { staleBefore, maxAttempts: MAX_ATTEMPTS, now }
        : { exceptWorker: workerId, maxAttempts: MAX_ATTEMPTS, now },
  );
  const counts = settleAbandoned(d, r, live ? "node_dead" : shared ? "stale" : "restart");
  let orphans = 0;
  try {
    for (const name of readdirSync(d.layout.work)) {
      const row = d.store.findByPublicId(name);
      // Several nodes may share this folder: a running job's folder may be a live node's.
      if (row?.status === "running" && (shared || row.workerId === workerId)) continue;
      removeQuietly(join(d.layout.work, name));
      orphans++;
    }
  } catch {
    // No work folder yet: nothing to clean.
  }
  const refunds = reconcileRefunds(d, now - REFUND_RECONCILE_MS);
  d.log.info("jobs_recovered", "", { ...counts, orphan_work_dirs: orphans, refunds_reconciled: refunds });
  return counts;
}

/**
 * The final state and its refund are two transactions; a process killed between them leaves a charged,
 * failed (or cancelled) job without its refund. Recovery gives it back once — the ledger's unique
 * (reason, ref) keeps a second call from writing anything.
 */
export function reconcileRefunds(d: MaintenanceDeps, since: number): number {
  const missing = d.billing.refundMissing;
  if (!missing) return 0;
  let n = 0;
  for (const row of d.store.unsuccessfulEndedSince(since)) {
    const job = billableOf(row);
    if (!missing.call(d.billing, job)) continue;
    const reason: RefundReason =
      row.status === "cancelled"
        ? "cancelled"
        : row.errorCode === "timeout" || row.errorCode === "interrupted"
          ? row.errorCode
          : "failed";
    d.billing.refund({ ...job, cost: row.cost }, reason);
    d.log.warn("job_refund_reconciled", "refund written at recovery", {
      task_id: row.publicId,
      user_id: row.userId,
      reason,
    });
    n++;
  }
  return n;
}

/** Running rows whose heartbeat is older than `staleBefore` are handled as if their process had died. */
export function sweepStaleJobs(d: MaintenanceDeps, staleBefore: number, now: number): JobRow[] {
  const r = d.store.requeueAbandoned({ staleBefore, maxAttempts: MAX_ATTEMPTS, now });
  const counts = settleAbandoned(d, r, "stale");
  if (counts.requeued + counts.failed > 0) d.log.warn("jobs_swept", "stale heartbeats", { ...counts });
  return [...r.requeued, ...r.failed];
}

/**
 * Cluster sweep: running rows whose worker is no live node (and whose last write is older than
 * `staleBefore`, so a claim by a node that registered a moment ago is never taken) are re-queued, or
 * failed `interrupted` after MAX_ATTEMPTS. The status guard makes it once across sweeping nodes.
 */
export function sweepDeadWorkers(d: MaintenanceDeps, live: LiveWorkers, now: number): JobRow[] {
  const r = d.store.requeueAbandoned({
    exceptWorkers: live.workers,
    staleBefore: live.staleBefore,
    maxAttempts: MAX_ATTEMPTS,
    now,
  });
  const counts = settleAbandoned(d, r, "node_dead");
  if (counts.requeued + counts.failed > 0)
    d.log.warn("jobs_swept", "dead nodes", { ...counts, reason: "node_dead" });
  return [...r.requeued, ...r.failed];
}

/** Deletes results past their TTL; rows become `expired` (downloads then answer 410). */
export function expireOldResults(d: MaintenanceDeps, now: number): { expired: number; bytesFreed: number } {
  const due = d.store.expireDue(now);
  let bytesFreed = 0;
  for (const row of due) {
    // A bucket's deletes run in the background: its bytes are those the rows recorded.
    const local = d.files.kind === "local";
    if (row.resultPath) bytesFreed += d.files.remove(resultFilesOf(row.resultPath));
    if (row.resultPath && !local) bytesFreed += row.resultBytes ?? 0;
    // A failed job's upload kept for a retry (MM_FAILED_INPUT_KEEP_H) whose time is up.
    if (row.status === "failed" && row.inputPath) {
      bytesFreed += d.files.remove(inputFilesOf(row.inputPath));
      if (!local) bytesFreed += row.inputBytes ?? 0;
    }
    d.log.info("job_expired", "", { task_id: row.publicId, user_id: row.userId });
    d.publish(row.publicId, "state");
  }
  if (due.length) d.log.info("results_expired", "", { expired: due.length, bytes_freed: bytesFreed });
  return { expired: due.length, bytesFreed };
}
