// A lossless final render metered from a FIFO: the render writes the delivered file and, through a
// named pipe, the very samples it writes (after dither, as float). Bun reads the pipe itself and folds
// the samples into the analysis (analysis-fold.ts), with the JS meter for I, LRA and true peak (meter/):
// no second ffmpeg (≈ 0.09 CPU-s to start, plus its decode and ebur128 — ≈ 0.8 CPU-s per 3 min in all).
// Shapes the JS meter cannot reproduce (> 2 channels, odd rates) keep a meter ffmpeg on the FIFO that
// runs ebur128 and streams the samples on (meterPassArgs). Either way render and meter run side by side,
// except in a one-lane job (MM_JOB_PROCESSES=1: one core per job): the render writes the same samples to
// a raw side file instead, and the meter reads it once the render has finished.
// A WAV render needs neither: followedRender folds the delivered file itself as ffmpeg writes it
// (wav-follow.ts), the very samples a player decodes, with no second output in the render.

import { closeSync, constants, openSync } from "node:fs";
import { open } from "node:fs/promises";
import { AppError } from "../errors";
import { AnalysisFold } from "./analysis-fold";
import { type Analysis, analyzeRun, jsMeter, meteredPcmArgs } from "./analyze";
import { allOrStop } from "./concurrent";
import { runFfmpeg } from "./ffmpeg";
import { removeQuietly } from "./flow";
import type { PlotAccumulator } from "./plots";
import type { ProbeInfo } from "./probe";
import { followWav } from "./wav-follow";

/**
 * A named pipe at `path` (beside the partial output, so it goes wherever the partial goes). Node has no
 * mkfifo; coreutils' mkfifo is part of every base system.
 */
async function makeFifo(path: string): Promise<void> {
  const p = Bun.spawn(["mkfifo", "-m", "600", path], { stdout: "ignore", stderr: "pipe" });
  if ((await p.exited) !== 0) {
    throw new AppError("ffmpeg_failed", 500, {}, new Error(`mkfifo: ${await new Response(p.stderr).text()}`));
  }
}

/** The meter process (shapes the JS meter does not cover): raw float frames from the FIFO → ebur128@in → stdout. */
export function meterPassArgs(fifo: string, rate: number, channels: number): string[] {
  return [
    "-f",
    "f32le",
    "-ar",
    String(rate),
    "-ac",
    String(channels),
    ...meteredPcmArgs(fifo, "aformat=sample_fmts=flt", "in", "verbose", rate),
  ];
}

/**
 * A reader still waiting in open() for a writer that will never come (the render failed or was killed
 * before opening its output) is released by opening the write end once: a non-blocking open succeeds
 * exactly when a reader is there, and closing it gives the reader end-of-file.
 */
function releaseReader(fifo: string): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader waiting (it already has the render's data or never started); ENOENT: removed.
  }
}

const READ_BYTES = 1 << 16;

/** Reads the FIFO (or the finished side file) to its end into an AnalysisFold (JS meter). */
async function analyzeRaw(
  fifo: string,
  shape: ProbeInfo,
  opts: { signal: AbortSignal; onProgress?: (fraction: number) => void; plots?: PlotAccumulator },
): Promise<Analysis> {
  const fold = new AnalysisFold(shape, "js", { plots: opts.plots });
  const fh = await open(fifo, "r");
  try {
    const buf = new Uint8Array(READ_BYTES);
    const total = fold.expectedBytes;
    let seen = 0;
    let reported = 0;
    for (;;) {
      if (opts.signal.aborted) throw new AppError("cancelled", 409);
      const { bytesRead } = await fh.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      fold.push(buf.subarray(0, bytesRead));
      seen += bytesRead;
      if (opts.onProgress && total > 0 && seen - reported >= total / 200) {
        reported = seen;
        opts.onProgress(Math.min(1, seen / total));
      }
    }
  } finally {
    await fh.close();
  }
  opts.onProgress?.(1);
  return fold.result();
}

/**
 * Runs `renderArgs(fifo)` (a final pass whose meter branch writes raw f32 into `fifo`) beside the meter;
 * either failing stops the other. Returns the analysis of the written samples.
 */
export async function meteredRender(
  renderArgs: (fifo: string) => string[],
  shape: ProbeInfo,
  opts: {
    signal?: AbortSignal;
    timeoutMs?: number;
    onProgress?: (fraction: number) => void;
    outputs: string[];
    /** 1: render first, then meter its side file (never two cores at once). */
    lanes?: 1 | 2;
    /** The delivered file's plot data, folded beside the JS meter (jsMeter(shape) only). */
    plots?: PlotAccumulator;
  },
): Promise<Analysis> {
  if (opts.lanes === 1) return renderThenMeter(renderArgs, shape, opts);
  const fifo = `${opts.outputs[0] ?? "render"}.meter`;
  await makeFifo(fifo);
  try {
    const js = jsMeter(shape);
    const [, measured] = await allOrStop(opts.signal, [
      (signal) =>
        runFfmpeg(renderArgs(fifo), { signal, timeoutMs: opts.timeoutMs, outputs: opts.outputs }).finally(
          () => {
            if (js) releaseReader(fifo);
          },
        ),
      (signal) =>
        js
          ? analyzeRaw(fifo, shape, { signal, onProgress: opts.onProgress, plots: opts.plots })
          : analyzeRun(meterPassArgs(fifo, shape.sample_rate, shape.channels), shape, {
              signal,
              timeoutMs: opts.timeoutMs,
              onProgress: opts.onProgress,
              meter: "ffmpeg",
            }),
    ] as const);
    return measured;
  } finally {
    await removeQuietly(fifo);
  }
}

/** One lane: the render writes the meter's samples to a regular file, metered once the render is done. */
async function renderThenMeter(
  renderArgs: (file: string) => string[],
  shape: ProbeInfo,
  opts: Parameters<typeof meteredRender>[2],
): Promise<Analysis> {
  const raw = `${opts.outputs[0] ?? "render"}.meter.f32`;
  const { signal, timeoutMs, onProgress, plots } = opts;
  try {
    await runFfmpeg(renderArgs(raw), { signal, timeoutMs, outputs: [...opts.outputs, raw] });
    if (jsMeter(shape)) {
      const s = signal ?? new AbortController().signal;
      return await analyzeRaw(raw, shape, { signal: s, onProgress, plots });
    }
    return await analyzeRun(meterPassArgs(raw, shape.sample_rate, shape.channels), shape, {
      signal,
      timeoutMs,
      onProgress,
      meter: "ffmpeg",
    });
  } finally {
    await removeQuietly(raw);
  }
}

/**
 * A WAV render (`renderArgs`, writing `output` only) measured from the written file: folded while it
 * grows (two lanes) or read once the render has exited (one lane). The JS meter's shapes only (jsMeter).
 */
export async function followedRender(
  renderArgs: string[],
  output: string,
  shape: ProbeInfo,
  opts: Omit<Parameters<typeof meteredRender>[2], "outputs">,
): Promise<Analysis> {
  const fold = new AnalysisFold(shape, "js", { plots: opts.plots });
  await followWav(
    output,
    (x, n) => fold.pushFrames(x, n),
    (poke) =>
      runFfmpeg(renderArgs, {
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
        durationS: shape.duration_s,
        // Progress: how far the render got (the fold keeps up with it, a poke per progress line).
        onProgress: (x) => {
          opts.onProgress?.(x);
          poke();
        },
        outputs: [output],
      }),
    {
      live: opts.lanes !== 1,
      signal: opts.signal,
      check: (w) => {
        if (w.channels !== shape.channels || w.rate !== shape.sample_rate)
          throw new Error(
            `render: wrote ${w.channels} ch at ${w.rate} Hz, expected ${shape.channels} at ${shape.sample_rate}`,
          );
      },
    },
  );
  return fold.result();
}
