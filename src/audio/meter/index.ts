// PURE: ffmpeg's `ebur128=peak=true+sample` in our process: integrated loudness, LRA, sample and true
// peak of a 1–2 channel f32 stream, the same values ffmpeg 5.1 prints (loudness.ts, true-peak.ts), for
// a fraction of its CPU (its true-peak resampler alone costs ≈ 0.4 CPU-s per 3 min of stereo). Feed it
// the interleaved frames a pipe delivers (F32Frames regroups them), then read summary().

import type { LoudnessSummary } from "../ebur128-parse";
import { LoudnessMeter } from "./loudness";
import { TruePeak, truePeakSupported } from "./true-peak";

export { truePeakSupported as meterSupported } from "./true-peak";

const dbfs = (lin: number) => (lin > 0 ? 20 * Math.log10(lin) : Number.NEGATIVE_INFINITY);

export class Ebur128Meter {
  private readonly loudness: LoudnessMeter;
  private readonly tp: TruePeak;
  private peak = 0;

  /** `samplePeak: false` skips the sample peak (null) where the caller keeps its own (PcmStats). */
  private readonly samplePeak: boolean;

  /** Folded elsewhere over the same samples (`loudness` given): push() leaves it alone. */
  private readonly ownLoudness: boolean;

  /**
   * `loudness`: a LoudnessMeter that has already seen this very stream (quick-loudness.ts quickMeter, the
   * same decode of the same file), whose I, LRA and timeline are used as they are.
   */
  constructor(
    channels: 1 | 2,
    rate: number,
    opts: {
      exhaustive?: boolean;
      samplePeak?: boolean;
      loudness?: LoudnessMeter;
      /** Per-100 ms short-term loudness of its own LoudnessMeter (LoudnessMeter's onShortTerm). */
      onShortTerm?: (t: number, lufs: number) => void;
    } = {},
  ) {
    this.samplePeak = opts.samplePeak ?? true;
    if (!truePeakSupported(rate, channels))
      throw new Error(`meter: ${channels} ch at ${rate} Hz unsupported`);
    this.ownLoudness = opts.loudness === undefined;
    this.loudness = opts.loudness ?? new LoudnessMeter(channels, rate, opts.onShortTerm);
    this.tp = new TruePeak(channels, rate, opts);
  }

  /** Interleaved float frames (n samples, whole frames). */
  push(x: Float32Array, n: number): void {
    if (this.samplePeak) {
      let p = this.peak;
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        const a = v < 0 ? -v : v;
        if (a > p) p = a;
      }
      this.peak = p;
    }
    if (this.ownLoudness) this.loudness.push(x, n);
    this.tp.push(x, n);
  }

  /** Unrounded (ffmpeg prints them with one decimal). Call once, after the last push. */
  summary(): LoudnessSummary {
    return {
      integrated_lufs: this.loudness.integrated(),
      lra_lu: this.loudness.range(),
      sample_peak_dbfs: this.samplePeak ? dbfs(this.peak) : null,
      true_peak_dbfs: dbfs(this.tp.finish()),
    };
  }

  /** Per-second momentary and short-term loudness (LUFS), as LoudnessTimeline reports them. */
  get timeline(): { momentary: number[]; shortTerm: number[] } {
    return this.loudness;
  }

  /** Intervals that needed the full 32-tap sums (how much the bound saved). */
  get exactIntervals(): number {
    return this.tp.exactIntervals;
  }
}

/** What ffmpeg's summary line would read: printf's one decimal (as the parsed summaries hold). */
export function asPrinted(s: LoudnessSummary): LoudnessSummary {
  const one = (v: number | null) => (v === null || !Number.isFinite(v) ? v : Number(v.toFixed(1)));
  return {
    integrated_lufs: one(s.integrated_lufs) as number,
    lra_lu: one(s.lra_lu) as number,
    sample_peak_dbfs: one(s.sample_peak_dbfs),
    true_peak_dbfs: one(s.true_peak_dbfs),
  };
}
