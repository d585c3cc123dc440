// Runs one claimed job: drive the engine with a signal and a progress callback, then finish the row
// (done, failed, or back to the queue on shutdown), refund when billing says so, and clean up files.
// Storage can fail at any step (another process holding the write lock, a full disk): progress writes are
// best effort, the final state write is retried with backoff, and the input is deleted only once a final
// state is committed. A row whose final write never went through stays `running` with its input on disk,
// so the stale sweep or the next start's recovery runs it again.

import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BillingSeam, RefundReason } from "../billing";
import type { Config } from "../config";
import { noteStorageFault, noteStorageOk } from "../db";
import { AppError, describeError, isAppError, storageFault } from "../errors";
import type { DataLayout, FileStore } from "../files";
import type { Logger } from "../log";
import { albumTrackOf } from "./album";
import { encodeAnalysis } from "./analysis";
import type { EngineOutcome, JobEngine, JobSettings } from "./engine";
import {
  beforeAudioPathOf,
  billableOf,
  inputFilesOf,
  plotsPathOf,
  referencePathsOf,
  resultFilesOf,
  resultNameFor,
} from "./naming";
import type { DoneFields, JobRow, JobStore } from "./store";
import { isFinal } from "./types";

/** Why a run was aborted: the pool sets one of these as the AbortSignal's reason. */
export type AbortReason = "timeout" | "cancelled" | "shutdown" | "stale";

export type WorkerContext = {
  store: JobStore;
  config: Config;
  log: Logger;
  layout: DataLayout;
  /** Where inputs and results live (the data folder or a bucket); the engine works on local copies. */
  files: FileStore;
  engine: JobEngine;
  billing: BillingSeam;
  workerId: string;
  now: () => number;
  /** Publishes the row's current state (state or progress event). */
  publish: (publicId: string, type: "state" | "progress") => void;
  /** Waits between attempts of a final state write (default STATE_RETRY_MS); tests pass shorter ones. */
  stateRetryMs?: readonly number[];
};

const PROGRESS_WRITE_MS = 500;
/** After failed progress writes, skip them for a while that doubles up to a cap: while another process
 * holds the lock, each attempt blocks the event loop for busy_timeout, and progress is only a hint. */
const PROGRESS_QUIET_MS = 2000;
const PROGRESS_QUIET_MAX_MS = 30_000;

/** Exponential backoff: `baseMs` after the first failure, doubling, at most `maxMs`. */
export const backoffMs = (failures: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
/** Backoff of a failed final state write: about a minute in all, then the row is left to recovery. */
export const STATE_RETRY_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000];

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

/** Runs `fn`, logging (never throwing) a failure as `event`; storage faults are noted for health. */
function bestEffort(ctx: WorkerContext, log: Logger, event: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    log.warn(event, describeError(err), {
      error: describeError(err),
      fault: noteStorageFault(ctx.layout.root, err),
    });
    return false;
  }
}

const publishSafely = (ctx: WorkerContext, log: Logger, publicId: string, type: "state" | "progress") =>
  bestEffort(ctx, log, "job_publish_failed", () => ctx.publish(publicId, type));

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((res) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      res();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

type Committed<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs a state write until it goes through, retrying with backoff whatever it failed on (a lock held past
 * busy_timeout, a full disk). Gives up after the last delay, or at once when `stopping` has aborted (the
 * process is going down: the row stays as it was, and recovery at the next start takes it from there).
 */
export async function commitState<T>(
  ctx: WorkerContext,
  log: Logger,
  step: string,
  write: () => T,
  stopping?: AbortSignal,
): Promise<Committed<T>> {
  const delays = ctx.stateRetryMs ?? STATE_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const value = write();
      noteStorageOk(ctx.layout.root);
      if (attempt > 1) log.info("job_state_write_recovered", step, { step, attempts: attempt });
      return { ok: true, value };
    } catch (err) {
      const delay = delays[attempt - 1];
      const giveUp = delay === undefined || stopping?.aborted === true;
      log.error("job_state_write_failed", describeError(err), {
        error: describeError(err),
        step,
        attempt,
        fault: noteStorageFault(ctx.layout.root, err),
        retry_in_ms: giveUp ? null : delay,
      });
      if (giveUp) return { ok: false };
      await pause(delay, stopping);
    }
  }
}

async function runEngine(
  ctx: WorkerContext,
  log: Logger,
  row: JobRow,
  settings: JobSettings,
  output: string,
  workDir: string,
  signal: AbortSignal,
  processes: 1 | 2,
) {
  const input = row.inputPath ? ctx.files.localPath(row.inputPath) : "";
  let lastWrite = 0;
  let lastStage: string | null = null;
  let quietUntil = 0;
  let failures = 0;
  const onProgress = (fraction: number, stage: string) => {
    const now = ctx.now();
    if (now < quietUntil || (now - lastWrite < PROGRESS_WRITE_MS && stage === lastStage)) return;
    lastWrite = now;
    lastStage = stage;
    const p = Math.max(0, Math.min(0.99, fraction));
    // Progress is a hint: a failed write is skipped (the heartbeat and the final write matter).
    const written = bestEffort(ctx, log, "job_progress_write_failed", () => {
      ctx.store.setProgress(row.id, p, stage, now);
      noteStorageOk(ctx.layout.root);
    });
    if (!written) {
      failures++;
      quietUntil = ctx.now() + backoffMs(failures, PROGRESS_QUIET_MS, PROGRESS_QUIET_MAX_MS);
    } else {
      failures = 0;
      publishSafely(ctx, log, row.publicId, "progress");
    }
  };
  const opts = { signal, onProgress, workDir, timeoutMs: ctx.config.MM_JOB_TIMEOUT_S * 1000, processes };
  if (row.kind === "measure") return ctx.engine.measure(input, opts);
  if (row.kind === "preview") return ctx.engine.preview(input, output, settings, opts);
  const references = referencePathsOf(input).filter((p) => existsSync(p));
  if (references.length) return ctx.engine.master(input, output, settings, { ...opts, references });
  // An album track (album.ts) is planned with its batch first; an engine that cannot plan masters it alone.
  if (!settings.album || !row.batchId || !ctx.engine.planAlbum)
    return ctx.engine.master(input, output, settings, opts);
  onProgress(0, "album");
  const album = await albumTrackOf(ctx, row, settings, opts);
  if (!album) return ctx.engine.master(input, output, settings, opts);
  return ctx.engine.master(input, output, album.settings, { ...opts, album: album.album });
}

/**
 * What a run's end committed: "terminal" (done/failed written by us: the input may go), "queued" (given
 * back: keep the input), "unknown" (someone else moved the row: look at it again), "uncommitted" (our
 * write never went through: the row is still `running`, keep everything recovery needs).
 */
/** `kept`: failed, with the input kept for a retry (MM_FAILED_INPUT_KEEP_H). */
type Settled = "terminal" | "kept" | "queued" | "unknown" | "uncommitted";

type Produced = {
  outcome: EngineOutcome;
  resultPath: string | null;
  resultBytes: number | null;
  extension: string | null;
  mime: string | null;
};

/**
 * Brings the input and its siblings (references, album plan) to this node: a no-op on the data folder, a
 * download from the bucket. An input the store no longer has fails the job job_input_gone.
 */
async function fetchInputs(ctx: WorkerContext, row: JobRow): Promise<void> {
  if (!row.inputPath) return;
  let got: string | null;
  try {
    got = await ctx.files.fetch(row.inputPath);
    for (const sibling of inputFilesOf(row.inputPath).slice(1)) await ctx.files.fetch(sibling);
  } catch (err) {
    throw new AppError("storage_unavailable", 503, {}, err);
  }
  if (!got) throw new AppError("job_input_gone", 409, { id: row.publicId });
}

async function produce(
  ctx: WorkerContext,
  log: Logger,
  row: JobRow,
  workDir: string,
  signal: AbortSignal,
  processes: 1 | 2,
): Promise<Produced> {
  const settings = JSON.parse(row.params) as JobSettings;
  const out = row.kind === "measure" ? null : ctx.engine.outputOf(settings);
  const workOut = join(workDir, `output.${out?.extension ?? "bin"}`);
  await mkdir(workDir, { recursive: true });
  await fetchInputs(ctx, row);
  // A cancel or shutdown during the set-up above: never start ffmpeg for it (an abort listener added now
  // would never fire).
  if (signal.aborted) throw signal.reason;
  const outcome = await runEngine(ctx, log, row, settings, workOut, workDir, signal, processes);
  if (signal.aborted) throw signal.reason;
  if (!out) return { outcome, resultPath: null, resultBytes: null, extension: null, mime: null };
  const resultPath = join(ctx.layout.results, `${row.publicId}.${out.extension}`);
  await mkdir(ctx.layout.results, { recursive: true });
  await rename(workOut, resultPath);
  const resultBytes = (await stat(resultPath)).size;
  // Written before the row says done, so a done master's plots are there (siblings of the result).
  if (outcome.plots && "error" in outcome.plots)
    log.warn("job_plots_failed", outcome.plots.error, { error: outcome.plots.error });
  else if (outcome.plots) {
    const { listening, ...plots } = outcome.plots;
    await rename(listening, beforeAudioPathOf(resultPath));
    await Bun.write(plotsPathOf(resultPath), JSON.stringify(plots));
  }
  // In the store before the row says done: any API node can serve it then. A failed upload fails the job.
  try {
    await ctx.files.publish(resultFilesOf(resultPath));
  } catch (err) {
    ctx.files.remove(resultFilesOf(resultPath));
    throw new AppError("storage_unavailable", 503, {}, err);
  }
  return { outcome, resultPath, resultBytes, extension: out.extension, mime: out.mime };
}

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
