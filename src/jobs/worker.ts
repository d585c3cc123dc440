// Runs one claimed job: drive the engine with a signal and a progress callback, then finish the row
// (done, failed, or back to the queue on shutdown), refund when billing says so, and clean up files.
// Storage can fail at any step (another process holding the write lock, a full disk): progress writes are
// best effort, the final state write is retried with backoff, and the input is deleted only once a final
// state is committed. A row whose final write never went through stays `running` with its input on disk,
// so the stale sweep or the next start's recovery runs it again.

import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { RefundReason } from "../billing";
import { noteStorageFault } from "../db";
import { describeError, isAppError, storageFault } from "../errors";
import type { Logger } from "../log";
import { encodeAnalysis } from "./analysis";
import { billableOf, inputFilesOf, resultFilesOf, resultNameFor } from "./naming";
import type { DoneFields, JobRow } from "./store";
import { isFinal } from "./types";
import { type Produced, produce } from "./worker-produce";
import { type AbortReason, bestEffort, commitState, publishSafely, type WorkerContext } from "./worker-state";

// The pool's view of a run (pool.ts imports from here only).
export { type AbortReason, backoffMs, type WorkerContext } from "./worker-state";

/** The stderr tail an ffmpeg failure carries in its cause, if any (last 20 lines). */
function stderrTail(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { stderrTail?: unknown } | undefined) : undefined;
  const tail = typeof cause?.stderrTail === "string" ? cause.stderrTail : "";
  return tail.split("\n").slice(-20).join("\n");
}

function failureCode(err: unknown, reason: AbortReason | undefined): string {
  if (reason === "timeout") return "timeout";
  // ffmpeg writing into a full disk fails as ffmpeg_failed; the user should read why.
  const fault = storageFault(err);
  if (fault === "full") return "insufficient_storage";
  if (fault === "busy") return "database_busy";
  if (isAppError(err)) return err.code;
  return "internal_error";
}

/**
 * What a run's end committed: "terminal" (done/failed written by us: the input may go), "queued" (given
 * back: keep the input), "unknown" (someone else moved the row: look at it again), "uncommitted" (our
 * write never went through: the row is still `running`, keep everything recovery needs), "kept" (failed,
 * with the input kept for a retry: MM_FAILED_INPUT_KEEP_H).
 */
type Settled = "terminal" | "kept" | "queued" | "unknown" | "uncommitted";

async function finishDone(
  ctx: WorkerContext,
  log: Logger,
  row: JobRow,
  p: Produced,
  started: number,
  stopping?: AbortSignal,
): Promise<Settled> {
  const now = ctx.now();
  const fields: DoneFields = {
    resultPath: p.resultPath,
    resultName: p.extension ? resultNameFor(row.originalName, row.kind, p.extension) : null,
    resultBytes: p.resultBytes,
    resultMime: p.mime,
    analysisBefore: encodeAnalysis(p.outcome.before),
    analysisAfter: encodeAnalysis(p.outcome.after),
    audioDurationS: p.outcome.duration_s,
    realtimeFactor: p.outcome.realtime_factor,
    expiresAt: p.resultPath ? now + ctx.config.MM_RESULT_TTL_H * 3_600_000 : null,
  };
  const w = await commitState(
    ctx,
    log,
    "done",
    () => ctx.store.markDone(row.id, ctx.workerId, fields, now),
    stopping,
  );
  // Not committed: the row still says running and names no result, so this file is nobody's.
  // Committed but not ours: cancelled (or swept) while we were finishing.
  if (!w.ok || !w.value) {
    if (p.resultPath) ctx.files.remove(resultFilesOf(p.resultPath));
    return w.ok ? "unknown" : "uncommitted";
  }
  const done = w.value;
  await commitState(ctx, log, "settle", () => ctx.billing.settle?.({ ...billableOf(done), cost: done.cost }));
  log.info("job_succeeded", "", {
    duration_ms: now - started,
    realtime_factor: p.outcome.realtime_factor,
    lufs_in: p.outcome.before.integrated_lufs,
    lufs_out: p.outcome.after?.integrated_lufs ?? null,
    result_bytes: p.resultBytes,
  });
  publishSafely(ctx, log, row.publicId, "state");
  return "terminal";
}

async function finishFailed(
  ctx: WorkerContext,
  log: Logger,
  row: JobRow,
  err: unknown,
  signal: AbortSignal,
  started: number,
  stopping?: AbortSignal,
): Promise<Settled> {
  const reason = signal.aborted ? (signal.reason as AbortReason) : undefined;
  if (reason === "shutdown") {
    const w = await commitState(ctx, log, "release", () => ctx.store.release(row.id, ctx.workerId), stopping);
    if (!w.ok) return "uncommitted";
    log.info("job_released", "back to the queue on shutdown", { duration_ms: ctx.now() - started });
    publishSafely(ctx, log, row.publicId, "state");
    return w.value ? "queued" : "unknown";
  }
  if (reason === "cancelled" || reason === "stale") {
    // The row was already moved (and logged: job_cancelled, job_requeued/job_failed) by cancel() or the
    // sweep, which also refunded if needed; this only records that the run stopped for it.
    log.debug("job_run_stopped", reason, { reason, duration_ms: ctx.now() - started });
    return "unknown";
  }
  const code = failureCode(err, reason);
  const tail = stderrTail(err);
  const detail = `${describeError(err)}\n${tail}`;
  // Read at failure time: a runtime setting (src/settings/runtime.ts).
  const keepH = ctx.config.MM_FAILED_INPUT_KEEP_H;
  const keepUntil = keepH > 0 && row.inputPath ? ctx.now() + keepH * 3_600_000 : null;
  const w = await commitState(
    ctx,
    log,
    "failed",
    () => ctx.store.markFailed(row.id, ctx.workerId, code, detail, ctx.now(), keepUntil),
    stopping,
  );
  if (!w.ok) return "uncommitted";
  const failed = w.value;
  if (failed) {
    const refund: RefundReason =
      code === "timeout" ? "timeout" : code === "interrupted" ? "interrupted" : "failed";
    await commitState(ctx, log, "refund", () =>
      ctx.billing.refund({ ...billableOf(failed), cost: failed.cost }, refund),
    );
    publishSafely(ctx, log, row.publicId, "state");
  }
  log.error("job_failed", describeError(err), {
    error_code: code,
    error: describeError(err),
    duration_ms: ctx.now() - started,
    stderr_tail: tail,
  });
  if (!failed) return "unknown";
  return failed.inputPath ? "kept" : "terminal";
}

/** Deletes the work folder always, and the input only when the row's final state is committed. */
async function cleanUp(ctx: WorkerContext, log: Logger, row: JobRow, workDir: string, settled: Settled) {
  await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  if (!row.inputPath) return;
  // This node's working copies of a bucket's input go whatever happened (the bucket keeps the original).
  await ctx.files.evict(inputFilesOf(row.inputPath));
  if (settled === "kept") return;
  let terminal = settled === "terminal";
  let clearPath = false;
  if (settled === "unknown") {
    try {
      const now = ctx.store.findByPublicId(row.publicId);
      // Cancelled here (or failed by the sweep, which removed the file itself); back in the queue keeps it.
      terminal = now !== undefined && isFinal(now.status);
      clearPath = terminal && now?.inputPath !== null;
    } catch (err) {
      log.warn("job_cleanup_deferred", describeError(err), { fault: noteStorageFault(ctx.layout.root, err) });
    }
  }
  if (!terminal) return;
  ctx.files.remove(inputFilesOf(row.inputPath));
  if (clearPath) bestEffort(ctx, log, "job_cleanup_failed", () => ctx.store.clearInputPath(row.id));
}

/**
 * Runs `row` (already claimed by this worker) to a final state. Never throws. `stopping` aborts when the
 * process is going down: a failing state write then stops retrying and the row is left to recovery.
 */
export async function runJob(
  ctx: WorkerContext,
  row: JobRow,
  signal: AbortSignal,
  processes: 1 | 2 = 2,
  stopping?: AbortSignal,
): Promise<void> {
  const log = ctx.log.child({ task_id: row.publicId, user_id: row.userId, kind: row.kind });
  const started = ctx.now();
  const workDir = join(ctx.layout.work, row.publicId);
  let settled: Settled = "uncommitted";
  try {
    log.info("job_started", "", { attempt: row.attempts, owner_key: row.ownerKey, priority: row.priority });
    publishSafely(ctx, log, row.publicId, "state");
    let produced: Produced | undefined;
    let failure: unknown;
    try {
      produced = await produce(ctx, log, row, workDir, signal, processes);
    } catch (err) {
      failure = err;
    }
    settled = produced
      ? await finishDone(ctx, log, row, produced, started, stopping)
      : await finishFailed(ctx, log, row, failure, signal, started, stopping);
    if (settled === "uncommitted")
      log.error("job_left_running", "final state not written; recovery will run it again", {
        input_kept: row.inputPath !== null,
      });
  } catch (err) {
    // A bug between the steps above: log it; the row is whatever was last committed.
    log.error("job_run_failed", describeError(err), { stack: err instanceof Error ? err.stack : undefined });
  } finally {
    await cleanUp(ctx, log, row, workDir, settled).catch((err: unknown) =>
      log.error("job_cleanup_failed", describeError(err)),
    );
  }
}
