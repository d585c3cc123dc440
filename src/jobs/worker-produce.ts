// Producing a claimed job's output: bring its inputs to this node, run the engine with a throttled,
// best-effort progress writer, then move the result (and a master's plots) into the results folder and
// publish it to the store before the row may say done (worker.ts).

import { existsSync } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { noteStorageOk } from "../db";
import { AppError } from "../errors";
import type { Logger } from "../log";
import { albumTrackOf } from "./album";
import type { EngineOutcome, JobSettings } from "./engine";
import { beforeAudioPathOf, inputFilesOf, plotsPathOf, referencePathsOf, resultFilesOf } from "./naming";
import type { JobRow } from "./store";
import { backoffMs, bestEffort, publishSafely, type WorkerContext } from "./worker-state";

const PROGRESS_WRITE_MS = 500;
/** After failed progress writes, skip them for a while that doubles up to a cap: while another process
 * holds the lock, each attempt blocks the event loop for busy_timeout, and progress is only a hint. */
const PROGRESS_QUIET_MS = 2000;
const PROGRESS_QUIET_MAX_MS = 30_000;

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

export type Produced = {
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

export async function produce(
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
