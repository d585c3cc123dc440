// The JS side of one analysis (analyze.ts): folds the float samples of a stream, chunk by chunk, into
// PcmStats (RMS, DC, peak count, correlation, spectrum window), the loudness timeline and — where the
// JS meter reproduces ffmpeg's ebur128 (meter/) — I, LRA and true peak; else those come from ebur128's
// stderr. Any source of the samples can feed it: an ffmpeg pipe (analyzeRun) or the render's FIFO
// (render-meter.ts).

import type { Analysis } from "./analyze";
import { parseEburFrame, parseEburSummaries } from "./ebur128-parse";
import { LoudnessTimeline } from "./loudness-timeline";
import { asPrinted, Ebur128Meter } from "./meter";
import type { LoudnessMeter } from "./meter/loudness";
import { PcmStats, type PcmSummary } from "./pcm-stats";
import { platformReport } from "./playback";
import type { PlotAccumulator } from "./plots";
import type { ProbeInfo } from "./probe";
import { spectrumBands } from "./spectrum";

const SPECTRUM_WINDOW_S = 8;

/** Finite numbers rounded to `d` decimals; anything else (NaN, ±inf) becomes null. */
export function finite(x: number | undefined, d = 2): number | null {
  if (x === undefined || !Number.isFinite(x)) return null;
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

/** 1–2 channels: the timeline is folded in JS (loudness-timeline.ts); more keep ebur128's frame lines. */
export const jsTimeline = (channels: number): channels is 1 | 2 => channels === 1 || channels === 2;

const loud = (x: number) => (Number.isFinite(x) && x > -120 ? Math.round(x * 10) / 10 : null);
const db = (lin: number) => (lin > 0 ? 20 * Math.log10(lin) : Number.NEGATIVE_INFINITY);

/** Samples at the positive or negative extreme, counted for each extreme at ≥ −0.1 dBFS (as astats). */
function clipped(p: PcmSummary): number {
  const hot = (x: number) => db(Math.abs(x)) >= -0.1;
  return (hot(p.max) ? p.max_count : 0) + (hot(p.min) ? p.min_count : 0);
}

export class AnalysisFold {
  private readonly short: (number | null)[] = [];
  private readonly momentary: (number | null)[] = [];
  private readonly timeline: { momentary: number[]; shortTerm: number[] } | null;
  private readonly meter: Ebur128Meter | null;
  private readonly stats: PcmStats;

  private readonly loudness: LoudnessMeter | undefined;

  /**
   * `meter: "js"` needs 1–2 channels at a rate meterSupported() accepts (analyze.ts jsMeter). `loudness`:
   * a LoudnessMeter that already folded this stream (quickMeter): I, LRA and the timeline come from it.
   * `plots`: the result page's plot data folded from these same samples (JS meter only), with the
   * meter's 100 ms short-term values — from `loudness`'s onShortTerm when that meter is given.
   */
  constructor(
    private readonly info: ProbeInfo,
    meter: "js" | "ffmpeg",
    o: { loudness?: LoudnessMeter; plots?: PlotAccumulator } = {},
  ) {
    const { loudness } = o;
    this.loudness = loudness;
    const rate = info.sample_rate;
    const ch = info.channels;
    // A stream of another shape than the accumulator's is not its file: left unfed (plots-run.ts decodes).
    const plots = o.plots?.channels === ch && o.plots.rate === rate ? o.plots : undefined;
    const windowStart = Math.max(0, info.duration_s / 2 - SPECTRUM_WINDOW_S / 2);
    const onShortTerm = plots && !loudness ? (t: number, s: number) => plots.frame(t, s) : undefined;
    // PcmStats keeps the sample peak, so the meter skips its own.
    const js =
      meter === "js" && jsTimeline(ch)
        ? new Ebur128Meter(ch, rate, { samplePeak: false, loudness, onShortTerm })
        : null;
    // The meter's 100 ms blocks are the timeline's sub-blocks when rate/10 is whole: one K-weighting.
    const own = jsTimeline(ch) && !(js && rate % 10 === 0) ? new LoudnessTimeline(ch, rate) : null;
    this.timeline = own ?? js?.timeline ?? null;
    this.meter = js;
    this.stats = new PcmStats(
      ch,
      Math.round(windowStart * rate),
      SPECTRUM_WINDOW_S * rate,
      jsTimeline(ch)
        ? (x, n) => {
            own?.push(x, n);
            js?.push(x, n);
            // Only beside the JS meter (its short-term values): else nothing is fed, plots-run.ts decodes.
            if (js) plots?.pushFrames(x, n);
          }
        : undefined,
    );
  }

  /** Bytes of float samples the probed duration promises (for progress). */
  get expectedBytes(): number {
    return this.info.duration_s * this.info.sample_rate * this.info.channels * 4;
  }

  /** Whether ebur128's per-frame stderr lines are needed (the timeline of > 2 channels). */
  get wantsStderr(): boolean {
    return this.timeline === null;
  }

  /** Interleaved little-endian f32 bytes, any length. */
  push(chunk: Uint8Array): void {
    this.stats.push(chunk);
  }

  /** Whole interleaved float frames (n samples), e.g. read straight from a WAV. */
  pushFrames(x: Float32Array, n: number): void {
    this.stats.pushFrames(x, n);
  }

  onStderrLine(line: string): void {
    const fr = parseEburFrame(line);
    if (fr?.name !== "in") return;
    const tenth = Math.round(fr.frame.t * 10);
    if (tenth % 10 !== 0) return;
    this.short[tenth / 10 - 1] = loud(fr.frame.s);
    this.momentary[tenth / 10 - 1] = loud(fr.frame.m);
  }

  /** The analysis; `stderr` carries ebur128@in's summary unless the JS meter ran. Call once, at the end. */
  result(stderr = ""): Analysis {
    const { info, short, momentary, timeline } = this;
    if (timeline) {
      timeline.shortTerm.forEach((v, i) => {
        short[i] = loud(v);
      });
      timeline.momentary.forEach((v, i) => {
        momentary[i] = loud(v);
      });
    }
    const pcm = this.stats.summary();
    // Never expected (the same decode of the same file): a meter that saw other samples is not this file's.
    if (this.meter && this.loudness && this.loudness.seen !== pcm.frames)
      throw new Error(`analysis: loudness folded ${this.loudness.seen} frames, the analysis ${pcm.frames}`);
    const spectrum = spectrumBands(pcm.window, info.sample_rate);
    // The JS meter's values rounded as ffmpeg prints them: the same numbers the parsed summary held.
    const ebur = this.meter ? asPrinted(this.meter.summary()) : parseEburSummaries(stderr).get("in");
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
}
