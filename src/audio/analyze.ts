// analyze(file): loudness (BS.1770 / EBU R128 via ffmpeg ebur128), peaks, RMS, DC, clipping, stereo
// correlation, a per-second loudness timeline, a 64-band spectrum and per-platform verdicts.
// One ffmpeg decode per call: the loudness metering runs inside ffmpeg (off the event loop), the
// float samples stream through JS chunk by chunk into running sums (pcm-stats.ts); JS keeps only one
// bounded window of mono PCM (≤ 8 s) for the spectrum.

import { pcmBudget } from "./budget";
import type { WhatChanged } from "./changes";
import { parseEburFrame, parseEburSummaries } from "./ebur128-parse";
import { runFfmpegStream } from "./ffmpeg";
import { frames100ms } from "./frames";
import { LoudnessTimeline } from "./loudness-timeline";
import { PcmStats, type PcmSummary } from "./pcm-stats";
import { type PlatformPlayback, platformReport } from "./playback";
import { type ProbeInfo, probe } from "./probe";
import { spectrumBands } from "./spectrum";

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

const SPECTRUM_WINDOW_S = 8;

/** Finite numbers rounded to `d` decimals; anything else (NaN, ±inf) becomes null. */
export function finite(x: number | undefined, d = 2): number | null {
  if (x === undefined || !Number.isFinite(x)) return null;
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

const loud = (x: number) => (Number.isFinite(x) && x > -120 ? Math.round(x * 10) / 10 : null);
const db = (lin: number) => (lin > 0 ? 20 * Math.log10(lin) : Number.NEGATIVE_INFINITY);

/**
 * One decode: ebur128 (I, LRA, true and sample peak, per-frame M/S for the timeline) passes the
 * float samples through to stdout, where PcmStats folds them into RMS/DC/peak count/correlation and
 * keeps the spectrum window. Cheaper than astats ×2 and a second decode for the window.
 */
function meterArgs(file: string, info: Pick<ProbeInfo, "channels" | "sample_rate">): string[] {
  return meteredPcmArgs(
    file,
    "aformat=sample_fmts=flt",
    "in",
    jsTimeline(info.channels) ? "verbose" : "info",
    info.sample_rate,
  );
}

/** 1–2 channels: the timeline is folded in JS (loudness-timeline.ts); more keep ebur128's frame lines. */
export const jsTimeline = (channels: number): channels is 1 | 2 => channels === 1 || channels === 2;

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
    "-map",
    "[out]",
    "-c:a",
    "pcm_f32le",
    "-f",
    "f32le",
    "pipe:1",
  ];
}

/** Samples at the positive or negative extreme, counted for each extreme at ≥ −0.1 dBFS (as astats). */
function clipped(p: PcmSummary): number {
  const hot = (x: number) => db(Math.abs(x)) >= -0.1;
  return (hot(p.max) ? p.max_count : 0) + (hot(p.min) ? p.min_count : 0);
}

export type AnalyzeOptions = {
  signal?: AbortSignal;
  /** Skip the ffprobe call when the caller already probed the file. */
  info?: ProbeInfo;
  onProgress?: (fraction: number) => void;
  timeoutMs?: number;
};

/** Measures `file`. JSON-serialisable; non-finite values are null. */
export async function analyze(file: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const info = opts.info ?? (await probe(file, { signal: opts.signal }));
  return analyzeRun(meterArgs(file, info), info, opts);
}

/**
 * The measurement of `analyze`, from any ffmpeg run whose stdout is `info`'s float samples and whose
 * stderr carries ebur128@in (meteredPcmArgs' graph): also the final render, which meters the samples it
 * writes in the same process (master.ts). `outputs` are files that run writes (removed if it fails).
 */
export async function analyzeRun(
  args: string[],
  info: ProbeInfo,
  opts: Omit<AnalyzeOptions, "info"> & { outputs?: string[] } = {},
): Promise<Analysis> {
  const short: (number | null)[] = [];
  const momentary: (number | null)[] = [];
  const onStderrLine = (line: string) => {
    const fr = parseEburFrame(line);
    if (fr?.name !== "in") return;
    const tenth = Math.round(fr.frame.t * 10);
    if (tenth % 10 !== 0) return;
    short[tenth / 10 - 1] = loud(fr.frame.s);
    momentary[tenth / 10 - 1] = loud(fr.frame.m);
  };
  const rate = info.sample_rate;
  const windowStart = Math.max(0, info.duration_s / 2 - SPECTRUM_WINDOW_S / 2);
  const ch = info.channels;
  const timeline = jsTimeline(ch) ? new LoudnessTimeline(ch, rate) : null;
  const stats = new PcmStats(
    info.channels,
    Math.round(windowStart * rate),
    SPECTRUM_WINDOW_S * rate,
    timeline ? (x, n) => timeline.push(x, n) : undefined,
  );
  const { stderr } = await runFfmpegStream(args, (chunk) => stats.push(chunk), {
    outputs: opts.outputs,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    onProgress: opts.onProgress,
    totalBytes: info.duration_s * rate * info.channels * 4,
    // The header's duration may be forged: decoding stops a little past it (audio_decodes_longer).
    budget: pcmBudget(info, rate, info.channels),
    onStderrLine: timeline ? undefined : onStderrLine,
  });
  if (timeline) {
    timeline.shortTerm.forEach((v, i) => {
      short[i] = loud(v);
    });
    timeline.momentary.forEach((v, i) => {
      momentary[i] = loud(v);
    });
  }
  const pcm = stats.summary();
  const spectrum = spectrumBands(pcm.window, rate);
  const ebur = parseEburSummaries(stderr).get("in");
  const peak = pcm.frames > 0 ? db(pcm.peak) : Number.NaN;
  const rms = pcm.frames > 0 ? db(pcm.rms) : Number.NaN;
  const integrated = ebur && ebur.integrated_lufs > -70 ? ebur.integrated_lufs : Number.NaN;
  const truePeak = finite(ebur?.true_peak_dbfs ?? Number.NaN, 1);
  const dc = Math.max(0, ...pcm.dc.map((d) => Math.abs(d)));
  return {
    duration_s: finite(info.duration_s, 3) ?? 0,
    sample_rate: info.sample_rate,
    channels: info.channels,
    codec: info.codec,
    bit_depth: info.bit_depth,
    format_name: info.format_name,
    integrated_lufs: finite(integrated, 1),
    lra_lu: Number.isFinite(integrated) ? finite(ebur?.lra_lu, 1) : null,
    true_peak_dbtp: truePeak,
    sample_peak_dbfs: finite(peak),
    rms_dbfs: finite(rms),
    crest_db: finite(peak - rms),
    dc_offset: finite(dc, 6),
    clipped_samples: clipped(pcm),
    stereo_correlation: pcm.correlation === null ? null : Math.round(pcm.correlation * 1e4) / 1e4,
    timeline: {
      step_s: 1,
      short_term_lufs: Array.from(short, (v) => v ?? null),
      momentary_lufs: Array.from(momentary, (v) => v ?? null),
    },
    spectrum,
    platforms: platformReport(finite(integrated, 1), truePeak),
  };
}
