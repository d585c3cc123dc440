// A lossless final render metered by a SECOND ffmpeg process on the other core: the render writes the
// delivered file and, through a FIFO, the very samples it writes (after dither, as float); the meter
// process runs ebur128 (I, LRA, true and sample peak) over them and streams them on to JS (analyzeRun).
// One process doing both spent ≈ 45 % of its time in the true-peak meter, on the flow's critical path;
// split, the render and the meter run side by side (same samples, same measurement, less wall).

import { AppError } from "../errors";
import { type Analysis, analyzeRun, meteredPcmArgs } from "./analyze";
import { allOrStop } from "./concurrent";
import { runFfmpeg } from "./ffmpeg";
import { removeQuietly } from "./flow";
import type { ProbeInfo } from "./probe";

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

/** The meter process: raw float frames from the FIFO → ebur128@in → float samples on stdout. */
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
 * Runs `renderArgs(fifo)` (a final pass whose meter branch writes raw f32 into `fifo`) beside the meter
 * process; either failing stops the other. Returns the meter's analysis of the written samples.
 */
export async function meteredRender(
  renderArgs: (fifo: string) => string[],
  shape: ProbeInfo,
  opts: {
    signal?: AbortSignal;
    timeoutMs?: number;
    onProgress?: (fraction: number) => void;
    outputs: string[];
  },
): Promise<Analysis> {
  const fifo = `${opts.outputs[0] ?? "render"}.meter`;
  await makeFifo(fifo);
  try {
    const [, measured] = await allOrStop(opts.signal, [
      (signal) => runFfmpeg(renderArgs(fifo), { signal, timeoutMs: opts.timeoutMs, outputs: opts.outputs }),
      (signal) =>
        analyzeRun(meterPassArgs(fifo, shape.sample_rate, shape.channels), shape, {
          signal,
          timeoutMs: opts.timeoutMs,
          onProgress: opts.onProgress,
        }),
    ] as const);
    return measured;
  } finally {
    await removeQuietly(fifo);
  }
}
