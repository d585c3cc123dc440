// The job system's view of the audio engine: three kinds of work (master, preview, measure) behind one
// small interface, so the pool can be driven by src/audio in production and by a stand-in in unit tests.

import * as audio from "../audio";

/** The mastering settings a job carries (the audio engine's zod input type). */
export type JobSettings = audio.MasterSettings;

export type EngineRunOptions = {
  signal: AbortSignal;
  onProgress: (fraction: number, stage: string) => void;
  workDir: string;
  timeoutMs: number;
  /** ffmpeg processes one job may run at once (1 when other jobs compete for the cores). */
  processes?: 1 | 2;
};

/** What a finished piece of work reports back; analyses are stored as JSON on the row. */
export type EngineOutcome = {
  before: unknown;
  after: unknown;
  duration_s: number | null;
  realtime_factor: number | null;
  lufs_in: number | null;
  lufs_out: number | null;
};

export interface JobEngine {
  /** Extension and MIME type of the file a master/preview with these settings produces. */
  outputOf(settings: JobSettings): { extension: string; mime: string };
  master(
    input: string,
    output: string,
    settings: JobSettings,
    opts: EngineRunOptions,
  ): Promise<EngineOutcome>;
  preview(
    input: string,
    output: string,
    settings: JobSettings,
    opts: EngineRunOptions,
  ): Promise<EngineOutcome>;
  measure(input: string, opts: EngineRunOptions): Promise<EngineOutcome>;
}

/** Reads integrated loudness from an analysis object, whatever it calls the field. */
export function lufsOf(analysis: unknown): number | null {
  if (!analysis || typeof analysis !== "object") return null;
  const a = analysis as Record<string, unknown>;
  for (const k of ["integrated_lufs", "lufs", "input_i", "i"]) {
    const v = a[k];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return null;
}

function fromReport(r: audio.MasterReport | audio.PreviewReport): EngineOutcome {
  return {
    before: r.before,
    after: r.after,
    duration_s: r.duration_s ?? null,
    realtime_factor: r.realtime_factor ?? null,
    lufs_in: lufsOf(r.before),
    lufs_out: lufsOf(r.after),
  };
}

/** The production engine: src/audio. */
export const audioEngine: JobEngine = {
  outputOf(settings) {
    const f = audio.resolveSettings(settings).format;
    return { extension: f.extension, mime: f.mime };
  },
  async master(input, output, settings, opts) {
    return fromReport(await audio.master(input, output, settings, opts));
  },
  async preview(input, output, settings, opts) {
    return fromReport(await audio.preview(input, output, settings, opts));
  },
  async measure(input, opts) {
    const started = performance.now();
    const before = await audio.analyze(input, { signal: opts.signal, timeoutMs: opts.timeoutMs });
    const duration = before.duration_s;
    const secs = (performance.now() - started) / 1000;
    return {
      before,
      after: null,
      duration_s: duration,
      realtime_factor: duration && secs > 0 ? duration / secs : null,
      lufs_in: lufsOf(before),
      lufs_out: null,
    };
  },
};
