// PURE: the true peak exactly as ffmpeg 5.1's ebur128 filter measures it, in JS and cheaply.
// ebur128 (peak=true) upsamples every channel to 192 kHz with libswresample's defaults — a Kaiser
// (β 9) windowed sinc, 32 taps, one phase per output position (exact rational ratio: 640 phases for
// 44.1 kHz, 4 for 48 kHz), all phases scaled by phase 0's sum, the start mirrored — and keeps max |y|.
// This module builds the same filter bank and evaluates the same outputs, in double like swr, but
// only where one could exceed the running maximum. The skip test is a bound, never an estimate:
//
//   y = Σ h·x over the window = a·x[n] + b·x[n+1] + Σ q·Δ²x   (exactly, per phase)
//
// where a, b match the filter's sum and first moment (both ≥ 0, a + b ≤ S0) and q is the double running
// sum of the remainder, which has zero sum and first moment. So |y| ≤ S0·max(|x[n]|, |x[n+1]|) + Q·max|Δ²x|
// with Q = max over phases of ‖q‖₁ (0.43 at 44.1/48 kHz). Music is mostly low-frequency, so Δ²x is small
// and only ≈ 0.1–2 % of intervals need the 32-tap sums (3 min stereo: ≈ 0.1 CPU-s instead of ≈ 5).
// A block whose bound stays under the running maximum cannot raise it, so the result equals the
// exhaustive evaluation (`exhaustive: true`, used by the tests) bit for bit.
//
// At the end, like ffmpeg (which never flushes its resampler), the last 16 input intervals are not
// evaluated.

import { CENTER, type PhaseBank, phaseBank, TAPS } from "./phase-bank";

// The bank and its type moved to phase-bank.ts; re-exported for callers of this module.
export { type PhaseBank, phaseBank } from "./phase-bank";

/** Frames per bound test; larger blocks cost less to test, smaller ones skip more. */
const BLOCK = 128;
/** Samples of history kept before the next interval: the window reaches 15 back, the bounds 17. */
const BACK = 20;
/** Samples needed after an interval: the window reaches 16 ahead, Δ² one more, margin. */
const AHEAD = 20;

/** Whether this meter can reproduce ebur128's true peak for the stream (else keep ffmpeg's). */
export const truePeakSupported = (rate: number, channels: number): boolean =>
  (channels === 1 || channels === 2) && phaseBank(rate) !== null;

/*
 * The 32-tap sums of every output in intervals [from, to) of one channel's buffer `x` (x[o + k] is the
 * sample at absolute index k), given each interval's first phase and count by residue; returns the max
 * of `run` and every |y|. A free function over typed arrays: JSC optimises these best.
 */
function exactIntervals(
  x: Float32Array,
  o: number,
  from: number,
  to: number,
  bank: PhaseBank,
  first: Int32Array,
  run: number,
): number {
  const h = bank.h;
  const { phases, step } = bank;
  for (let n = from; n < to; n++) {
    let ph = first[n % step] as number;
    const base = o + n - CENTER;
    for (; ph < phases; ph += step) {
      const hb = ph * TAPS;
      let v = 0;
      for (let i = 0; i < TAPS; i++) v += (x[base + i] as number) * (h[hb + i] as number);
      const a = v < 0 ? -v : v;
      if (a > run) run = a;
    }
  }
  return run;
}

/**
 * For each block [b0, b0 + BLOCK) of intervals from `from` to `to` (the last block may be short): max |x|
 * and max |x[i−1] − 2x[i] + x[i+1]| over everything the block's windows and bounds touch, [b0 − 17,
 * b1 + 18), into p[k] and d[k]. One call per stretch: JSC runs one long loop nest far faster than a call
 * per block. Returns the number of blocks.
 */
function blockScan(
  x: Float32Array,
  o: number,
  from: number,
  to: number,
  p: Float64Array,
  d: Float64Array,
): number {
  let k = 0;
  for (let b0 = from; b0 < to; b0 += BLOCK, k++) {
    const b1 = Math.min(to, b0 + BLOCK);
    let pk = 0;
    let dk = 0;
    const end = o + b1 + 18;
    // The three samples of Δ² roll through locals: one load per sample instead of three.
    let i = o + b0 - 17;
    let prev = x[i - 1] as number;
    let c = x[i] as number;
    for (; i < end; i++) {
      const next = x[i + 1] as number;
      const a = Math.abs(c);
      if (a > pk) pk = a;
      const e = Math.abs(prev - 2 * c + next);
      if (e > dk) dk = e;
      prev = c;
      c = next;
    }
    p[k] = pk;
    d[k] = dk;
  }
  return k;
}

/** Appends channel `c` of interleaved `x` (n samples) to `b` from `at`. */
function deinterleave(x: Float32Array, n: number, ch: number, c: number, b: Float32Array, at: number): void {
  let w = at;
  for (let i = c; i < n; i += ch) b[w++] = x[i] as number;
}

export class TruePeak {
  private readonly bank: PhaseBank;
  /** The first output phase in interval n, by n mod step (the grid repeats every `step` inputs). */
  private readonly first: Int32Array;
  /** Per channel: samples from absolute index `start` on, deinterleaved (float; the sums run in double like swr). */
  private bufs: Float32Array[];
  private start = -BACK;
  /** Buffered frames from `start` (the first BACK are the mirrored start). */
  private len = BACK;
  /** Next interval to evaluate (absolute). */
  private next = 0;
  private frames = 0;
  /** Mirror-image start not yet written (it needs the first BACK + 1 samples). */
  private primed = false;
  private run = 0;
  /** Per-block bound inputs of the stretch being evaluated (blockScan), one channel at a time. */
  private sp = new Float64Array(0);
  private sd = new Float64Array(0);
  /** Intervals evaluated with the full sums (the tests read how much the bound saved). */
  exactIntervals = 0;

  constructor(
    private readonly channels: 1 | 2,
    rate: number,
    private readonly opts: { exhaustive?: boolean } = {},
  ) {
    const bank = phaseBank(rate);
    if (!bank) throw new Error(`true peak: ${rate} Hz has no exact 192 kHz phase grid`);
    this.bank = bank;
    this.first = new Int32Array(bank.step);
    for (let r = 0; r < bank.step; r++) {
      // First output position ≥ r·phases on the grid of multiples of step.
      this.first[r] = Math.ceil((r * bank.phases) / bank.step) * bank.step - r * bank.phases;
    }
    this.bufs = Array.from({ length: channels }, () => new Float32Array(1 << 14));
  }

  /** Interleaved float frames (n samples, whole frames). */
  push(x: Float32Array, n: number): void {
    const ch = this.channels;
    const frames = n / ch;
    this.reserve(frames);
    for (let c = 0; c < ch; c++) deinterleave(x, n, ch, c, this.bufs[c] as Float32Array, this.len);
    this.len += frames;
    this.frames += frames;
    if (!this.primed && this.frames > BACK) this.prime();
    if (this.primed) this.evaluate(this.start + this.len - AHEAD);
  }

  /** Max |y| over every channel and output, linear (0 for an empty stream). */
  finish(): number {
    if (this.frames === 0) return 0;
    if (!this.primed) this.prime();
    // ffmpeg never flushes the resampler: its last output is centred on x[N − 17], the last one whose
    // 32-sample window is all input. Zeros after the end only widen the bounds' scan.
    this.reserve(AHEAD);
    for (const b of this.bufs) b.fill(0, this.len, this.len + AHEAD);
    this.len += AHEAD;
    this.evaluate(this.frames - (TAPS - CENTER - 1));
    return this.run;
  }

  /** Writes x[−k] = x[k] before the first sample (swr's invert_initial_buffer). */
  private prime(): void {
    for (const b of this.bufs) {
      for (let k = 1; k <= BACK; k++) b[BACK - k] = b[BACK + Math.min(k, this.frames - 1)] as number;
    }
    this.primed = true;
  }

  /** Room for `more` frames, dropping what no interval will read again. */
  private reserve(more: number): void {
    const keep = this.next - BACK - this.start;
    const cap = (this.bufs[0] as Float32Array).length;
    if (this.len + more <= cap) return;
    if (keep > 0 && this.primed) {
      for (const b of this.bufs) b.copyWithin(0, keep, this.len);
      this.start += keep;
      this.len -= keep;
    }
    if (this.len + more > cap) {
      const size = Math.max(cap * 2, this.len + more);
      this.bufs = this.bufs.map((b) => {
        const g = new Float32Array(size);
        g.set(b.subarray(0, this.len));
        return g;
      });
    }
  }

  /** Evaluates intervals [next, until) block by block; each needs AHEAD samples after it in the buffer. */
  private evaluate(until: number): void {
    const from = this.next;
    if (from >= until) return;
    const { l1, s0, q } = this.bank;
    const o = -this.start;
    const blocks = Math.ceil((until - from) / BLOCK);
    if (this.sp.length < blocks) {
      this.sp = new Float64Array(blocks);
      this.sd = new Float64Array(blocks);
    }
    for (const x of this.bufs) {
      if (this.opts.exhaustive) {
        this.run = exactIntervals(x, o, from, until, this.bank, this.first, this.run);
        this.exactIntervals += until - from;
        continue;
      }
      blockScan(x, o, from, until, this.sp, this.sd);
      for (let k = 0; k < blocks; k++) {
        const p = this.sp[k] as number;
        if (p * l1 <= this.run) continue;
        const slack = q * (this.sd[k] as number);
        if (p * s0 + slack <= this.run) continue;
        // Interval by interval: only those whose own two samples leave room above the maximum.
        const b0 = from + k * BLOCK;
        const b1 = Math.min(until, b0 + BLOCK);
        for (let n = b0; n < b1; n++) {
          const u = Math.abs(x[o + n] as number);
          const v = Math.abs(x[o + n + 1] as number);
          if (Math.max(u, v) * s0 + slack <= this.run) continue;
          this.run = exactIntervals(x, o, n, n + 1, this.bank, this.first, this.run);
          this.exactIntervals++;
        }
      }
    }
    this.next = until;
  }
}
