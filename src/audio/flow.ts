// Shared plumbing of master() and preview(): stage timing, monotonic progress, one deadline for all
// passes, temp paths next to the output (so the final rename is atomic), and input guards.

import { randomBytes } from "node:crypto";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { AppError } from "../errors";
import type { Analysis } from "./analyze";
import { SEARCH_PROCESSES } from "./concurrent";

export type FlowOptions = {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  /** Where the float intermediate goes (default: the OS temp dir). */
  workDir?: string;
  /** Budget for the whole flow, shared by every pass. */
  timeoutMs?: number;
  /**
   * ffmpeg processes the flow may run at once (default 2: the input analysis beside the chain). A busy
   * worker pool passes 1 so concurrent jobs do not fight over the same cores.
   */
  processes?: 1 | 2;
};

/** Shortest input with a defined integrated loudness (one 400 ms gating block). */
export const MIN_DURATION_S = 0.4;

export class Flow {
  readonly timings_ms: Record<string, number> = {};
  private last = 0;
  private readonly started = performance.now();
  private readonly deadline: number | null;

  constructor(private readonly opts: FlowOptions) {
    this.deadline = opts.timeoutMs ? Date.now() + opts.timeoutMs : null;
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  /** ffmpeg lanes: with 1, no two CPU-heavy things (ffmpeg, or Bun folding a stream) run at once. */
  get lanes(): 1 | 2 {
    return this.opts.processes ?? SEARCH_PROCESSES;
  }

  /** Runner options for one pass: the stage's share [from, to] of the progress bar and the time left. */
  pass(stage: string, from: number, to: number, durationS?: number) {
    const left = this.deadline === null ? undefined : Math.max(1, this.deadline - Date.now());
    if (left === 1) throw new AppError("timeout", 504);
    this.report(from, stage);
    return {
      signal: this.opts.signal,
      timeoutMs: left,
      durationS,
      onProgress: (x: number) => this.report(from + (to - from) * x, stage),
    };
  }

  report(fraction: number, stage: string): void {
    // Passes overlap in stage boundaries and a retry re-renders; the bar never moves backwards.
    this.last = Math.max(this.last, Math.min(1, fraction));
    this.opts.onProgress?.(this.last, stage);
  }

  /** Runs `fn` and adds its wall time to timings_ms[stage]. */
  async time<T>(stage: string, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.timings_ms[stage] = Math.round((this.timings_ms[stage] ?? 0) + performance.now() - t);
    }
  }

  elapsedS(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** A private temp dir for intermediates. */
  async workDir(): Promise<string> {
    return mkdtemp(join(this.opts.workDir ?? tmpdir(), "mm-"));
  }
}

/** A temp name in the output's directory: rename() onto the final name is then atomic. */
export function partialPath(output: string): string {
  return join(dirname(output), `.${basename(output)}.${randomBytes(4).toString("hex")}.part`);
}

export async function commit(partial: string, output: string): Promise<void> {
  await rename(partial, output);
}

export async function removeQuietly(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true, recursive: true }).catch(() => undefined)));
}

/**
 * Rejects inputs the flow cannot normalise honestly: shorter than one 400 ms gating block
 * (audio_too_short, rather than guessing with peak normalisation) or silent (audio_silent,
 * rather than a +20 dB blow-up of the noise floor).
 */
export function guardInput(a: Analysis): void {
  if (a.duration_s < MIN_DURATION_S)
    throw new AppError("audio_too_short", 422, { min_ms: MIN_DURATION_S * 1000 });
  if (a.integrated_lufs === null || a.sample_peak_dbfs === null || a.sample_peak_dbfs < -80) {
    throw new AppError("audio_silent", 422);
  }
}
