// analyze(file): loudness (BS.1770 / EBU R128: the JS meter in meter/, which reproduces ffmpeg's ebur128,
// or ebur128 itself for > 2 channels and odd rates), peaks, RMS, DC, clipping, stereo correlation, a
// per-second loudness timeline, a 64-band spectrum and per-platform verdicts. One ffmpeg decode per
// call: the float samples stream through JS chunk by chunk into running sums (pcm-stats.ts) and the
// meter; JS keeps only one bounded window of mono PCM (≤ 8 s) for the spectrum.

import { AnalysisFold, finite, jsTimeline } from "./analysis-fold";
import { budgetExceeded, pcmBudget } from "./budget";
import type { WhatChanged } from "./changes";
import { runFfmpegStream } from "./ffmpeg";
import { frames100ms } from "./frames";
import type { WavLayout } from "./intermediate";
import { meterSupported } from "./meter";
import type { LoudnessMeter } from "./meter/loudness";
import type { PlatformPlayback } from "./playback";
import type { PlotAccumulator } from "./plots";
import { type ProbeInfo, probe } from "./probe";
import { directWav } from "./quick-loudness";
import { readPcmWav } from "./wav-read";

/** What ffprobe says of the stream, plus everything measured. */
export type Analysis = Pick<
  ProbeInfo,
  "duration_s" | "sample_rate" | "channels" | "codec" | "bit_depth" | "format_name"
> & {
  /** Integrated loudness, LUFS; null below the −70 LUFS gate (silence, or < 400 ms). */
  integrated_lufs: number | null;
  lra_lu: number | null;
  true_peak_dbtp: number | null;
  sample_peak_dbfs: number | null;
  rms_dbfs: number | null;
  /** Sample peak − RMS, dB. */
  crest_db: number | null;
  /** Largest per-channel DC offset (linear, −1…1). */
  dc_offset: number | null;
  /** Samples sitting at the file's largest or smallest value when that value is ≥ −0.1 dBFS (clipped flat tops). */
  clipped_samples: number;
  /** Pearson r(L, R); null unless the file has exactly two channels. */
  stereo_correlation: number | null;
  /** One point per second: short-term (3 s) and momentary (400 ms) loudness; null where not defined. */
  timeline: { step_s: number; short_term_lufs: (number | null)[]; momentary_lufs: (number | null)[] };
  /** 64 log-spaced bands 20 Hz–20 kHz of a window from the middle of the file, dBFS. */
  spectrum: { hz: number[]; db: (number | null)[] };
  /** What each streaming platform does with this file, and broadcast compliance (playback.ts). */
  platforms: PlatformPlayback[];
  /** Only on the analysis of a master's written file: what the master changed (changes.ts). */
  changes?: WhatChanged;
};

export { finite, jsTimeline };

/**
 * One decode. 1–2 channels at a rate the JS meter reproduces (jsMeter): ffmpeg only decodes, and JS folds
 * the float samples into ebur128's I, LRA and true peak (meter/), the timeline, and PcmStats' RMS, DC,
 * peak count, correlation and spectrum window — ≈ 0.4 CPU-s per 3 min of stereo less than ebur128 in
 * ffmpeg. Otherwise ebur128 in ffmpeg (I, LRA, true and sample peak, per-frame M/S) passes the samples on.
 */
function meterArgs(file: string, info: Pick<ProbeInfo, "channels" | "sample_rate">, js: boolean): string[] {
  if (js) return pcmArgs(file, "aformat=sample_fmts=flt", info.sample_rate);
  return meteredPcmArgs(
    file,
    "aformat=sample_fmts=flt",
    "in",
    jsTimeline(info.channels) ? "verbose" : "info",
    info.sample_rate,
  );
}

/** Whether the JS meter (meter/) replaces ffmpeg's ebur128 for a stream of this shape. */
export const jsMeter = (info: Pick<ProbeInfo, "channels" | "sample_rate">): boolean =>
  jsTimeline(info.channels) && meterSupported(info.sample_rate, info.channels);

/** `file` → 100 ms frames → `filters` → float samples on stdout, nothing metered in ffmpeg. */
export function pcmArgs(file: string, filters: string, rate: number): string[] {
  return ["-i", file, "-filter_complex", `[0:a]${frames100ms(rate)},${filters}[out]`, ...pcmOut];
}

const pcmOut = ["-map", "[out]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"];

/**
 * `file` → `filters` → ebur128@`name` (I, LRA, true and sample peak, per-frame lines at info level) →
 * float samples on stdout: one decode feeds both the meter and the JS statistics (also match-measure.ts).
 */
export function meteredPcmArgs(
  file: string,
  filters: string,
  name: string,
  framelog: "info" | "verbose" = "info",
  rate?: number,
): string[] {
  const regroup = rate === undefined ? "" : `${frames100ms(rate)},`;
  return [
    "-i",
    file,
    "-filter_complex",
    `[0:a]${regroup}${filters},ebur128@${name}=peak=true+sample:framelog=${framelog}[out]`,
    ...pcmOut,
  ];
}

export type AnalyzeOptions = {
  signal?: AbortSignal;
  /** Skip the ffprobe call when the caller already probed the file. */
  info?: ProbeInfo;
  onProgress?: (fraction: number) => void;
  timeoutMs?: number;
  /** Who meters loudness and true peak: the JS meter where it can (default), or ffmpeg's ebur128. */
  meter?: "js" | "ffmpeg";
  /**
   * The input's LoudnessMeter from quickMeter (same file, same decode): with the JS meter, I, LRA and the
   * timeline are taken from it, and this pass folds only true peak and the statistics.
   */
  loudness?: LoudnessMeter | null;
  /**
   * Fold the result page's plot data from this same decode (JS meter only: pass it where jsMeter(info)
   * holds). Saves computePlots' own decode and ebur128 run of the file.
   */
  plots?: PlotAccumulator;
};

/** Measures `file`. JSON-serialisable; non-finite values are null. */
export async function analyze(file: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const info = opts.info ?? (await probe(file, { signal: opts.signal }));
  const js = opts.meter !== "ffmpeg" && jsMeter(info);
  const wav = js ? await directWav(file, info) : null;
  if (wav) return analyzeWav(file, info, wav, opts);
  return analyzeRun(meterArgs(file, info, js), info, { ...opts, meter: js ? "js" : "ffmpeg" });
}

/**
 * A 1–2 channel PCM or float WAV is read straight from the file into the fold (wav-read.ts converts the
 * samples exactly as ffmpeg's decode to float would): no ffmpeg process at all (a start alone costs
 * ≈ 0.09 CPU-s; the decode and the pipe ≈ 0.2 CPU-s more per 3 min of stereo).
 */
async function analyzeWav(
  file: string,
  info: ProbeInfo,
  wav: WavLayout,
  opts: AnalyzeOptions,
): Promise<Analysis> {
  const fold = new AnalysisFold(info, "js", { loudness: opts.loudness ?? undefined, plots: opts.plots });
  const frames = Math.floor(wav.dataBytes / wav.block_align);
  // The same limit the decode runs under: a header's duration that the data outgrows is refused.
  const budget = pcmBudget(info, info.sample_rate, info.channels);
  if (frames * info.channels * 4 > budget.bytes) throw budgetExceeded(budget);
  const total = frames * info.channels;
  let seen = 0;
  await readPcmWav(
    file,
    wav,
    frames,
    (x) => {
      fold.pushFrames(x, x.length);
      seen += x.length;
      opts.onProgress?.(Math.min(1, seen / total));
    },
    opts.signal,
  );
  opts.onProgress?.(1);
  return fold.result();
}

/**
 * The measurement of `analyze`, from any ffmpeg run whose stdout is `info`'s float samples and whose
 * stderr carries ebur128@in (meteredPcmArgs' graph) unless jsMeter(info) (pcmArgs' graph: JS meters).
 * `outputs` are files that run writes (removed if it fails).
 */
export async function analyzeRun(
  args: string[],
  info: ProbeInfo,
  opts: Omit<AnalyzeOptions, "info"> & { outputs?: string[] } = {},
): Promise<Analysis> {
  const meter = opts.meter ?? (jsMeter(info) ? "js" : "ffmpeg");
  const fold = new AnalysisFold(info, meter, {
    loudness: (meter === "js" && opts.loudness) || undefined,
    plots: opts.plots,
  });
  const { stderr } = await runFfmpegStream(args, (chunk) => fold.push(chunk), {
    outputs: opts.outputs,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    onProgress: opts.onProgress,
    totalBytes: fold.expectedBytes,
    // The header's duration may be forged: decoding stops a little past it (audio_decodes_longer).
    budget: pcmBudget(info, info.sample_rate, info.channels),
    onStderrLine: fold.wantsStderr ? (line) => fold.onStderrLine(line) : undefined,
  });
  return fold.result(stderr);
}
