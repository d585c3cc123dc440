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
  /** A master's reference tracks (reference matching), in upload order. */
  references?: readonly string[];
  /** An album track: the album's shared staging and this track's target (album.ts). */
  album?: audio.AlbumChange;
};

/** What a finished piece of work reports back; the analyses are stored on the row (analysis.ts). */
export type EngineOutcome = {
  /** The input as measured before any processing. */
  before: audio.Analysis;
  /** The written file as measured (null for `measure`, which writes nothing). */
  after: audio.Analysis | null;
  duration_s: number | null;
  realtime_factor: number | null;
  /**
   * A master's plot data (waveform, loudness timeline, spectrum) of the input and the written file, made
   * while the input still exists; absent when the engine makes none, `error` when making them failed
   * (the master itself stands).
   */
  plots?: { before: audio.TrackPlots; after: audio.TrackPlots; listening: string } | { error: string };
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
  /** Measures an album's tracks and plans it (src/audio measureAlbum); engines without it master alone. */
  planAlbum?(
    tracks: audio.AlbumTrack[],
    settings: JobSettings,
    opts: { signal: AbortSignal; timeoutMs: number; processes?: 1 | 2 },
  ): Promise<audio.AlbumPlan>;
}

function fromReport(r: audio.MasterReport | audio.PreviewReport): EngineOutcome {
  return {
    before: r.before,
    after: r.after,
    duration_s: r.duration_s ?? null,
    realtime_factor: r.realtime_factor ?? null,
  };
}

/** The production engine: src/audio. */
export const audioEngine: JobEngine = {
  outputOf(settings) {
    const f = audio.resolveSettings(settings).format;
    return { extension: f.extension, mime: f.mime };
  },
  async master(input, output, settings, opts) {
    // The master drives the bar to 95 %; the result page's data (plots of both files and a listening copy
    // of the input, which is deleted when the job ends) the rest, on two lanes unless the pool is busy.
    const onProgress = (f: number, stage: string) => opts.onProgress(f * 0.95, stage);
    // The master's own passes fold the plots of both files where they can (audio PassPlots): a decode of
    // each file saved. What they could not fold is computed here, from the probe the master made.
    const plots: audio.PassPlots = {};
    const outcome = fromReport(await audio.master(input, output, settings, { ...opts, onProgress, plots }));
    opts.onProgress(0.96, "plots");
    const o = { signal: opts.signal, timeoutMs: opts.timeoutMs };
    const listening = `${output}.before.flac`;
    const before = async () => plots.before ?? audio.computePlots(input, { ...o, info: plots.input });
    const after = async () => plots.after ?? audio.computePlots(output, o);
    const copy = () => audio.encodeListeningCopy(input, listening, { ...o, info: plots.input });
    try {
      const [b, a] =
        opts.processes === 1
          ? [await before(), await after(), await copy()]
          : await Promise.all([before(), after(), copy()]);
      return { ...outcome, plots: { before: b, after: a, listening } };
    } catch (err) {
      if (opts.signal.aborted) throw err;
      return { ...outcome, plots: { error: err instanceof Error ? err.message : String(err) } };
    }
  },
  async preview(input, output, settings, opts) {
    return fromReport(await audio.preview(input, output, settings, opts));
  },
  planAlbum: (tracks, settings, opts) => audio.measureAlbum(tracks, settings, opts),
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
    };
  },
};
