// PURE: the data behind the result page's pictures, folded from one streamed decode in bounded memory:
// a min/max waveform envelope (~1000 columns), the short-term loudness timeline (≤ ~600 points, from
// ebur128's 100 ms frame lines) and the long-term 1/3-octave spectrum (Hann frames spread evenly over
// the whole file, at most SPECTRUM_FRAMES of them: a long-term average needs no more). A few KB of JSON
// per track whatever its length: columns and points merge pairwise when a file decodes longer than its
// header said, so memory never grows with the file. Fed by computePlots' decode (plots-run.ts) or by a
// master's own passes over the same samples (analysis-fold.ts: the timeline from the JS meter's blocks).

import FFT from "fft.js";
import { THIRD_OCTAVE_HZ } from "./match-spectrum";
import { F32Frames } from "./pcm-stats";

export const WAVEFORM_COLUMNS = 1000;
export const TIMELINE_POINTS = 600;
/** Waveform values are integers in [−WAVE_SCALE, WAVE_SCALE] (8-bit resolution: plenty for a picture). */
export const WAVE_SCALE = 127;
/** Spectrum: FFT length (5.4 Hz bins at 44.1 kHz) and the most frames transformed per channel. */
export const PLOT_FFT = 8192;
// Contiguous frames up to ~3.7 min: fewer, spread out, miss intermittent parts (300 frames read a 3-minute
// track's 1 kHz band 12.6 dB low where its lead plays only now and then).
export const SPECTRUM_FRAMES = 1200;
const EDGE = 10 ** (1 / 20);
/** ebur128 writes one frame line every 100 ms. */
const FRAME_S = 0.1;

export type TrackPlots = {
  duration_s: number;
  waveform: { columns: number; step_s: number; scale: number; min: number[]; max: number[] };
  loudness: { step_s: number; short_term_lufs: (number | null)[] };
  spectrum: { hz: number[]; db: (number | null)[] };
};

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Timeline step: a multiple of 100 ms so `expectedS` fits in TIMELINE_POINTS points. */
export function timelineStep(expectedS: number): number {
  return Math.max(1, Math.ceil(expectedS / FRAME_S / TIMELINE_POINTS)) * FRAME_S;
}

export class PlotAccumulator {
  private colFrames: number;
  private readonly mins: number[] = [];
  private readonly maxs: number[] = [];
  private colMin = Number.POSITIVE_INFINITY;
  private colMax = Number.NEGATIVE_INFINITY;
  private inCol = 0;
  private frames = 0;
  private readonly input: F32Frames;
  private readonly spectrum: SpectrumFrames;
  /** Short-term loudness per bucket as a power sum and a count (a bucket's mean is taken in power). */
  private stepFrames: number;
  private readonly powers: number[] = [];
  private readonly counts: number[] = [];

  /** `channels` ≤ 2 (the decode downmixes more); `expectedS` is the probed duration. */
  constructor(
    readonly channels: number,
    readonly rate: number,
    expectedS: number,
  ) {
    const expected = Math.max(1, Math.round(expectedS * rate));
    this.colFrames = Math.max(1, Math.ceil(expected / WAVEFORM_COLUMNS));
    this.stepFrames = Math.round(timelineStep(expectedS) / FRAME_S);
    this.input = new F32Frames(channels, (x, n) => this.fold(x, n));
    this.spectrum = new SpectrumFrames(
      channels,
      rate,
      Math.max(PLOT_FFT, Math.ceil(expected / SPECTRUM_FRAMES)),
    );
  }

  /** Interleaved little-endian f32 bytes, any chunking. */
  push(chunk: Uint8Array): void {
    this.input.push(chunk);
  }

  /** Frames folded so far (0: no pass fed it). */
  get seen(): number {
    return this.frames;
  }

  /** Whole interleaved float frames (n samples), e.g. from a pass that folds the same file (analysis-fold.ts). */
  pushFrames(x: Float32Array, n: number): void {
    this.fold(x, n);
  }

  private fold(x: Float32Array, n: number): void {
    const ch = this.channels;
    let lo = this.colMin;
    let hi = this.colMax;
    let inCol = this.inCol;
    for (let i = 0; i < n; i += ch) {
      for (let c = 0; c < ch; c++) {
        const v = x[i + c] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (++inCol === this.colFrames) {
        this.mins.push(lo);
        this.maxs.push(hi);
        lo = Number.POSITIVE_INFINITY;
        hi = Number.NEGATIVE_INFINITY;
        inCol = 0;
        if (this.maxs.length >= 2 * WAVEFORM_COLUMNS) this.halveColumns();
      }
    }
    this.colMin = lo;
    this.colMax = hi;
    this.inCol = inCol;
    this.spectrum.fold(x, n);
    this.frames += n / ch;
  }

  /** The file runs longer than expected: merge neighbouring columns (memory stays bounded). */
  private halveColumns(): void {
    mergePairs(this.mins, Math.min);
    mergePairs(this.maxs, Math.max);
    this.colFrames *= 2;
  }

  /** One ebur128 frame line: `t` s, short-term loudness `s` LUFS (−inf / < −120 = silence). */
  frame(t: number, s: number): void {
    const index = Math.round(t / FRAME_S) - 1;
    if (index < 0) return;
    let b = Math.floor(index / this.stepFrames);
    while (b >= 2 * TIMELINE_POINTS) {
      mergePairs(this.powers, (a, c) => a + c);
      mergePairs(this.counts, (a, c) => a + c);
      this.stepFrames *= 2;
      b = Math.floor(index / this.stepFrames);
    }
    while (this.powers.length <= b) {
      this.powers.push(0);
      this.counts.push(0);
    }
    // Frames below the meter's floor (the first 3 s, silence) are not averaged in: null when none is left.
    if (!Number.isFinite(s) || s <= -120) return;
    this.counts[b] = (this.counts[b] as number) + 1;
    this.powers[b] = (this.powers[b] as number) + 10 ** (s / 10);
  }

  result(): TrackPlots {
    const mins = [...this.mins];
    const maxs = [...this.maxs];
    if (this.inCol > 0) {
      mins.push(this.colMin);
      maxs.push(this.colMax);
    }
    const q = (v: number) => Math.max(-WAVE_SCALE, Math.min(WAVE_SCALE, Math.round(v * WAVE_SCALE)));
    return {
      duration_s: r3(this.frames / this.rate),
      waveform: {
        columns: maxs.length,
        step_s: this.colFrames / this.rate,
        scale: WAVE_SCALE,
        min: mins.map(q),
        max: maxs.map(q),
      },
      loudness: {
        step_s: r1(this.stepFrames * FRAME_S),
        short_term_lufs: this.powers.map((p, i) => {
          const n = this.counts[i] as number;
          return p > 0 && n > 0 ? r1(10 * Math.log10(p / n)) : null;
        }),
      },
      spectrum: this.spectrum.result(),
    };
  }
}

/** In place: [a, b, c, d, e] → [f(a,b), f(c,d), e]. */
function mergePairs(a: number[], f: (x: number, y: number) => number): void {
  const n = Math.ceil(a.length / 2);
  for (let i = 0; i < n; i++) {
    const x = a[2 * i] as number;
    const y = a[2 * i + 1];
    a[i] = y === undefined ? x : f(x, y);
  }
  a.length = n;
}

/**
 * The long-term spectrum: every `hop` frames, one PLOT_FFT-long Hann frame of each channel is transformed
 * and its power added. Bands read the mean square per 1/3-octave band in dB (a full-scale sine ≈ −3 dB),
 * averaged over the channels; null above Nyquist or before one whole frame.
 */
class SpectrumFrames {
  private readonly fft = new FFT(PLOT_FFT);
  private readonly window = Float64Array.from(
    { length: PLOT_FFT },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / PLOT_FFT),
  );
  private readonly frames: Float64Array[];
  private readonly power = new Float64Array(PLOT_FFT / 2 + 1);
  private readonly windowed = new Float64Array(PLOT_FFT);
  private readonly out: number[];
  private fill = 0;
  private skip = 0;
  private count = 0;

  constructor(
    private readonly channels: number,
    private readonly rate: number,
    private readonly hop: number,
  ) {
    this.frames = Array.from({ length: channels }, () => new Float64Array(PLOT_FFT));
    this.out = this.fft.createComplexArray();
  }

  fold(x: Float32Array, n: number): void {
    const ch = this.channels;
    for (let i = 0; i < n; i += ch) {
      if (this.skip > 0) {
        // Jump over whole skipped frames at once.
        const jump = Math.min(this.skip, (n - i) / ch);
        this.skip -= jump;
        i += (jump - 1) * ch;
        continue;
      }
      for (let c = 0; c < ch; c++) (this.frames[c] as Float64Array)[this.fill] = x[i + c] as number;
      if (++this.fill === PLOT_FFT) this.transform();
    }
  }

  private transform(): void {
    for (const frame of this.frames) {
      for (let i = 0; i < PLOT_FFT; i++) this.windowed[i] = (frame[i] as number) * (this.window[i] as number);
      this.fft.realTransform(this.out, this.windowed);
      for (let k = 0; k <= PLOT_FFT / 2; k++) {
        const re = this.out[2 * k] as number;
        const im = this.out[2 * k + 1] as number;
        this.power[k] = (this.power[k] as number) + re * re + im * im;
      }
    }
    this.count++;
    this.fill = 0;
    this.skip = this.hop - PLOT_FFT;
  }

  result(): { hz: number[]; db: (number | null)[] } {
    const binHz = this.rate / PLOT_FFT;
    const norm = this.count * this.channels * PLOT_FFT * PLOT_FFT * 0.375;
    const db = THIRD_OCTAVE_HZ.map((fc) => {
      const hi = fc * EDGE;
      if (hi > this.rate / 2 || this.count === 0) return null;
      let sum = 0;
      for (let k = Math.max(1, Math.ceil(fc / EDGE / binHz)); k * binHz < hi; k++)
        sum += this.power[k] as number;
      const ms = (2 * sum) / norm;
      return ms > 1e-20 ? r1(10 * Math.log10(ms)) : null;
    });
    return { hz: THIRD_OCTAVE_HZ.map((f) => Math.round(f * 10) / 10), db };
  }
}
