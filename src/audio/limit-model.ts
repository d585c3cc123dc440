// PURE: what the final limiter will cost in loudness, predicted from ONE read of the float intermediate
// instead of metering six limited copies in ffmpeg (the old search pass: ≈ 4 CPU-s per 3 min).
// The fold keeps, per ~1 ms chunk, the sample peak and the K-weighted energy (BS.1770-4 pre-filter and
// RLB high-pass). A limiter multiplies the signal by a slowly moving gain G(t), so the K-weighted energy
// of the limited signal is ≈ Σ G² · k² chunk by chunk; G comes from a plain look-ahead peak-limiter model
// (instant attack one chunk ahead, exponential release). Gating and integration follow BS.1770. The model
// only has to be close: one real 1× limiter measurement at its answer fixes the level (master.ts).

import { foldMono, foldStereo, kWeighting } from "./k-weighting";

// The coefficients moved to k-weighting.ts; meter/loudness.ts still imports them from here.
export { kWeighting } from "./k-weighting";

/** The divisor of `n` nearest to `want` (chunks then tile the 100 ms sub-blocks exactly). */
function nearestDivisor(n: number, want: number): number {
  let best = 1;
  for (let d = 1; d <= n; d++) if (n % d === 0 && Math.abs(d - want) < Math.abs(best - want)) best = d;
  return best;
}

/** Folds interleaved float frames into per-chunk peak and K-weighted energy. */
export class LimitModelFold {
  readonly subLen: number;
  readonly chunkLen: number;
  private peaks = new Float32Array(1 << 14);
  private energy = new Float64Array(1 << 14);
  private chunks = 0;
  /** Shelf b0 b1 b2 a1 a2, high-pass a1 a2. */
  private readonly coef: Float64Array;
  /** Filter state (see foldStereo in k-weighting.ts) plus the open chunk's energy, peak and fill. */
  private readonly state = new Float64Array(19);
  private out = new Float64Array(0);

  constructor(
    private readonly channels: number,
    readonly rate: number,
  ) {
    this.subLen = Math.max(1, Math.round(rate / 10));
    this.chunkLen = nearestDivisor(this.subLen, rate / 1000);
    const [shelf, hp] = kWeighting(rate);
    this.coef = Float64Array.from([...shelf.slice(0, 5), ...hp.slice(3, 5)]);
    if (channels !== 1 && channels !== 2) throw new Error("LimitModelFold: 1 or 2 channels");
  }

  /** Interleaved frames, 1 or 2 channels (the chain never writes more). */
  push(x: Float32Array, n: number): void {
    const need = 2 * (Math.ceil(n / this.channels / this.chunkLen) + 1);
    if (this.out.length < need) this.out = new Float64Array(need);
    const k = (this.channels === 2 ? foldStereo : foldMono)(
      x,
      n,
      this.coef,
      this.state,
      this.out,
      this.chunkLen,
    );
    for (let i = 0; i < k; i += 2) this.store(this.out[i] as number, this.out[i + 1] as number);
  }

  private store(peak: number, energy: number): void {
    const i = this.chunks++;
    if (i >= this.peaks.length) {
      const p = new Float32Array(this.peaks.length * 2);
      p.set(this.peaks);
      this.peaks = p;
      const e = new Float64Array(this.energy.length * 2);
      e.set(this.energy);
      this.energy = e;
    }
    this.peaks[i] = peak;
    this.energy[i] = energy;
  }

  /** Whole chunks folded so far (a trailing partial chunk and partial 100 ms block do not count). */
  model(): LimitModel {
    return new LimitModel(
      this.peaks.subarray(0, this.chunks),
      this.energy.subarray(0, this.chunks),
      this.chunkLen,
      this.subLen,
      this.rate,
    );
  }
}

/**
 * alimiter (asc=1) recovers faster than its nominal release: fitted on generated music, loud clipped music,
 * drums, ballad, speech, bass-heavy and orchestral signals at +0…+9 dB into the limit, for releases 30, 60
 * and 120 ms, the model with 2/3 of the release reads within 0.2 LU of ffmpeg's 1× limiter + ebur128
 * (test/unit/audio/limit-model.test.ts keeps that comparison).
 */
export const RELEASE_FIT = 2 / 3;

const lufsOf = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/** BS.1770 gated integration of 400 ms blocks (75 % overlap) from 100 ms sub-block energy sums. */
function integrate(sub: Float64Array, subLen: number, scale: number): number {
  const blocks = sub.length - 3;
  if (blocks < 1) return Number.NEGATIVE_INFINITY;
  const e = new Float64Array(blocks);
  const absGate = 10 ** ((-70 + 0.691) / 10);
  let sum = 0;
  let count = 0;
  for (let j = 0; j < blocks; j++) {
    const v =
      (((sub[j] as number) + (sub[j + 1] as number) + (sub[j + 2] as number) + (sub[j + 3] as number)) *
        scale) /
      (4 * subLen);
    e[j] = v;
    if (v > absGate) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return Number.NEGATIVE_INFINITY;
  const relGate = (sum / count) * 0.1;
  let gated = 0;
  let n = 0;
  for (let j = 0; j < blocks; j++) {
    const v = e[j] as number;
    if (v > absGate && v > relGate) {
      gated += v;
      n++;
    }
  }
  return n === 0 ? Number.NEGATIVE_INFINITY : lufsOf(gated / n);
}

export class LimitModel {
  private readonly sub: Float64Array;

  constructor(
    private readonly peaks: Float32Array,
    private readonly energy: Float64Array,
    private readonly chunkLen: number,
    private readonly subLen: number,
    private readonly rate: number,
  ) {
    this.sub = new Float64Array(Math.floor((peaks.length * chunkLen) / subLen));
  }

  /** Sample peak of the folded signal, dBFS. */
  peakDb(): number {
    let p = 0;
    for (const v of this.peaks) if (v > p) p = v;
    return 20 * Math.log10(p);
  }

  /** Integrated loudness (LUFS) after `gainDb` and a limiter at `limitDb` with `releaseMs`; no limit when null. */
  loudness(gainDb: number, limitDb: number | null, releaseMs = 60): number {
    const a = 10 ** (gainDb / 20);
    const sub = this.sub;
    sub.fill(0);
    const perSub = this.subLen / this.chunkLen;
    const n = Math.min(this.peaks.length, sub.length * perSub);
    const peaks = this.peaks;
    const energy = this.energy;
    if (limitDb === null) {
      for (let c = 0; c < n; c++) {
        const j = (c / perSub) | 0;
        sub[j] = (sub[j] as number) + (energy[c] as number);
      }
      return integrate(sub, this.subLen, a * a);
    }
    const lim = 10 ** (limitDb / 20) / a;
    const beta = 1 - Math.exp(-this.chunkLen / ((RELEASE_FIT * releaseMs * this.rate) / 1000));
    const need = (c: number) => {
      const p = c < n ? (peaks[c] as number) : 0;
      return p > lim ? lim / p : 1;
    };
    let g = 1;
    let next = need(0);
    for (let c = 0; c < n; c++) {
      const here = next;
      next = need(c + 1);
      g += (1 - g) * beta;
      g = Math.min(g, here, next);
      const j = (c / perSub) | 0;
      sub[j] = (sub[j] as number) + g * g * (energy[c] as number);
    }
    return integrate(sub, this.subLen, a * a);
  }

  /**
   * The gain (dB) whose limited loudness is `target`, and the local slope dI/dg there. I(g) rises with g
   * until the limiter saturates (with asc it can even fall again on speech), so a 0.5 dB scan from the
   * linear gain finds the first crossing and bisection refines it; past the top of the curve (unreachable
   * target) the loudest gain wins and the verify step says how far it stayed.
   */
  solve(target: number, limitDb: number, releaseMs = 60): { gain_db: number; slope: number } {
    const at = (g: number) => this.loudness(g, limitDb, releaseMs);
    const linear = target - this.loudness(0, null);
    let lo = linear;
    let loI = at(lo);
    let best = { g: lo, i: loI };
    let hi: number | null = null;
    for (let g = linear + 0.5; g <= linear + 24 && loI < target; g += 0.5) {
      const i = at(g);
      if (i > best.i) best = { g, i };
      if (i >= target) hi = g;
      else {
        lo = g;
        loI = i;
      }
      if (hi !== null) break;
    }
    let gain: number;
    if (loI >= target) gain = lo;
    else if (hi === null) gain = best.g;
    else {
      let h = hi;
      for (let k = 0; k < 12; k++) {
        const mid = (lo + h) / 2;
        if (at(mid) < target) lo = mid;
        else h = mid;
      }
      gain = (lo + h) / 2;
    }
    const slope = (at(gain + 0.25) - at(gain - 0.25)) / 0.5;
    return { gain_db: gain, slope: Number.isFinite(slope) ? slope : 1 };
  }
}
