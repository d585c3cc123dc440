// Runs one claimed job: drive the engine with a signal and a progress callback, then finish the row
// (done, failed, or back to the queue on shutdown), refund when billing says so, and clean up files.

import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BillingSeam, RefundReason } from "../billing/seam";
import type { Config } from "../config";
import { describeError, isAppError } from "../errors";
import type { DataLayout } from "../files/layout";
import type { Logger } from "../log";
import { encodeAnalysis } from "./analysis";
import type { EngineOutcome, JobEngine, JobSettings } from "./engine";
import { billableOf, resultNameFor } from "./naming";
import type { JobRow, JobStore } from "./store";

/** Why a run was aborted: the pool sets one of these as the AbortSignal's reason. */
export type AbortReason = "timeout" | "cancelled" | "shutdown" | "stale";

export type WorkerContext = {
  store: JobStore;
  config: Config;
  log: Logger;
  layout: DataLayout;
  engine: JobEngine;
  billing: BillingSeam;
  workerId: string;
  now: () => number;
  /** Publishes the row's current state (state or progress event). */
  publish: (publicId: string, type: "state" | "progress") => void;
};

const PROGRESS_WRITE_MS = 500;

/** The stderr tail an ffmpeg failure carries in its cause, if any (last 20 lines). */
function stderrTail(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { stderrTail?: unknown } | undefined) : undefined;
  const tail = typeof cause?.stderrTail === "string" ? cause.stderrTail : "";
  return tail.split("\n").slice(-20).join("\n");
}

function failureCode(err: unknown, reason: AbortReason | undefined): string {
  if (reason === "timeout") return "timeout";
  if (isAppError(err)) return err.code;
  return "internal_error";
}

async function runEngine(
  ctx: WorkerContext,
  row: JobRow,
  output: string,
  workDir: string,
  signal: AbortSignal,
  processes: 1 | 2,
) {
  const settings = JSON.parse(row.params) as JobSettings;
  const input = row.inputPath ?? "";
  let lastWrite = 0;
  let lastStage: string | null = null;
  const onProgress = (fraction: number, stage: string) => {
    const now = ctx.now();
    if (now - lastWrite < PROGRESS_WRITE_MS && stage === lastStage) return;
    lastWrite = now;
    lastStage = stage;
    ctx.store.setProgress(row.id, Math.max(0, Math.min(0.99, fraction)), stage, now);
    ctx.publish(row.publicId, "progress");
  };
  const opts = { signal, onProgress, workDir, timeoutMs: ctx.config.MM_JOB_TIMEOUT_S * 1000, processes };
  if (row.kind === "measure") return ctx.engine.measure(input, opts);
  if (row.kind === "preview") return ctx.engine.preview(input, output, settings, opts);
  return ctx.engine.master(input, output, settings, opts);
}

/** Runs `row` (already claimed by this worker) to a final state. Never throws. */
export async function runJob(
  ctx: WorkerContext,
  row: JobRow,
  signal: AbortSignal,
  processes: 1 | 2 = 2,
): Promise<void> {
  const log = ctx.log.child({ task_id: row.publicId, user_id: row.userId, kind: row.kind });
  const started = ctx.now();
  log.info("job_started", "", { attempt: row.attempts, owner_key: row.ownerKey });
  ctx.publish(row.publicId, "state");
  const workDir = join(ctx.layout.work, row.publicId);
  const settings = JSON.parse(row.params) as JobSettings;
  const out = row.kind === "measure" ? null : ctx.engine.outputOf(settings);
  const workOut = join(workDir, `output.${out?.extension ?? "bin"}`);
  try {
    await mkdir(workDir, { recursive: true });
    const outcome: EngineOutcome = await runEngine(ctx, row, workOut, workDir, signal, processes);
    if (signal.aborted) throw signal.reason;
    let resultPath: string | null = null;
    let resultBytes: number | null = null;
    if (out) {
      resultPath = join(ctx.layout.results, `${row.publicId}.${out.extension}`);
      await mkdir(ctx.layout.results, { recursive: true });
      await rename(workOut, resultPath);
      resultBytes = (await stat(resultPath)).size;
    }
    const now = ctx.now();
    const done = ctx.store.markDone(
      row.id,
      ctx.workerId,
      {
        resultPath,
        resultName: out ? resultNameFor(row.originalName, row.kind, out.extension) : null,
        resultBytes,
        resultMime: out?.mime ?? null,
        analysisBefore: encodeAnalysis(outcome.before),
        analysisAfter: encodeAnalysis(outcome.after),
        audioDurationS: outcome.duration_s,
        realtimeFactor: outcome.realtime_factor,
        expiresAt: out ? now + ctx.config.MM_RESULT_TTL_H * 3_600_000 : null,
      },
      now,
    );
    if (!done) {
      // Cancelled (or swept) while we were finishing: the result is nobody's.
      if (resultPath) await rm(resultPath, { force: true });
      return;
    }
    ctx.billing.settle?.({ ...billableOf(done), cost: done.cost });
    log.info("task_success", "", {
      duration_ms: now - started,
      realtime_factor: outcome.realtime_factor,
      lufs_in: outcome.before.integrated_lufs,
      lufs_out: outcome.after?.integrated_lufs ?? null,
      result_bytes: resultBytes,
    });
    ctx.publish(row.publicId, "state");
  } catch (err) {
    const reason = signal.aborted ? (signal.reason as AbortReason) : undefined;
    if (reason === "shutdown") {
      ctx.store.release(row.id, ctx.workerId);
      log.info("job_released", "back to the queue on shutdown");
      ctx.publish(row.publicId, "state");
    } else if (reason === "cancelled" || reason === "stale") {
      // The row was already moved by cancel() or sweepStale(), which also refunded if needed.
      log.info("task_failed", "", { reason, duration_ms: ctx.now() - started, stderr_tail: "" });
    } else {
      const code = failureCode(err, reason);
      const tail = stderrTail(err);
      const failed = ctx.store.markFailed(
        row.id,
        ctx.workerId,
        code,
        `${describeError(err)}\n${tail}`,
        ctx.now(),
      );
      if (failed) {
        const refund: RefundReason =
          code === "timeout" ? "timeout" : code === "interrupted" ? "interrupted" : "failed";
        ctx.billing.refund({ ...billableOf(failed), cost: failed.cost }, refund);
        ctx.publish(row.publicId, "state");
      }
      log.error("task_failed", describeError(err), {
        reason: code,
        duration_ms: ctx.now() - started,
        stderr_tail: tail,
      });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    // A row back in the queue (shutdown, stale sweep) still needs its input.
    const now = ctx.store.findByPublicId(row.publicId);
    if (row.inputPath && now?.status !== "queued") {
      await rm(row.inputPath, { force: true }).catch(() => undefined);
      ctx.store.clearInputPath(row.id);
    }
  }
}
