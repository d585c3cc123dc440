// PURE: integrated loudness and loudness range exactly as ffmpeg 5.1's ebur128 filter computes them
// (BS.1770-4 / EBU R128, EBU Tech 3342), from the same arithmetic: K-weighting in double (the same
// biquads, limit-model.ts kWeighting), the mean square of the last 400 ms (rate·4/10 samples) and 3 s
// (3·rate) re-evaluated every rate/10 samples (75 % overlap for the gating blocks), a block counted
// when it reads ≥ −70 LUFS. Like ffmpeg, gated blocks go into 0.01 LU histograms: I is the mean energy
// of the bins at or above the relative gate (the mean of all counted blocks − 10 LU, truncated to
// its bin); LRA is the 95th minus the 10th percentile bin of the 3 s blocks at or above their
// mean − 20 LU. ffmpeg re-computes both every 100 ms; the last time counts, so once at the end here.

import { kWeighting } from "../limit-model";

const ABS_GATE = -70;
const GRAIN = 100;
const BINS = (10 - ABS_GATE) * GRAIN + 1;
const LOG2_10 = Math.log2(10);

const loudnessOf = (power: number) => -0.691 + 10 * Math.log10(power);
/** ffmpeg's HIST_POS: (int) truncation, then clipped to the histogram. */
const binOf = (lufs: number) => Math.min(BINS - 1, Math.max(0, Math.trunc((lufs - ABS_GATE) * GRAIN)));
const binLoudness = (i: number) => i / GRAIN + ABS_GATE;
const binEnergy = (i: number) => 2 ** (LOG2_10 * ((binLoudness(i) + 0.691) / 10));

/** One gating integrator (ffmpeg's struct integrator): a histogram and the running mean power. */
class Gate {
  readonly counts = new Uint32Array(BINS);
  sumPower = 0;
  blocks = 0;

  add(power: number, lufs: number): void {
    const i = binOf(lufs);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sumPower += power;
    this.blocks++;
  }

  /** The histogram position of the relative gate `offset` LU under the mean of the counted blocks. */
  gateBin(offset: number): number {
    let mean = this.sumPower / this.blocks;
    if (!mean) mean = 1e-12;
    return binOf(loudnessOf(mean) + offset);
  }
}

/*
 * K-weighted energy of each frame of interleaved `x` (samples [0, n), `ch` channels) summed over the
 * channels, appended to the running total and stored per frame in `ring` from `pos`. Filter state
 * `st` per channel: pre-filter x1 x2 y1 y2, RLB-filter z1 z2 (its input history is y). Returns the
 * running total. The expressions keep ffmpeg's operand order, so the values match to the last bit.
 */
function foldEnergy(
  x: Float32Array,
  n: number,
  ch: number,
  k: Float64Array,
  st: Float64Array,
  ring: Float64Array,
  pos: number,
  total: number,
): number {
  const b0 = k[0] as number;
  const b1 = k[1] as number;
  const b2 = k[2] as number;
  const a1 = k[3] as number;
  const a2 = k[4] as number;
  const r1 = k[5] as number;
  const r2 = k[6] as number;
  const size = ring.length;
  for (let c = 0; c < ch; c++) {
    const o = 6 * c;
    let x1 = st[o] as number;
    let x2 = st[o + 1] as number;
    let y1 = st[o + 2] as number;
    let y2 = st[o + 3] as number;
    let z1 = st[o + 4] as number;
    let z2 = st[o + 5] as number;
    let p = pos;
    for (let i = c; i < n; i += ch) {
      const v = x[i] as number;
      const y = v * b0 + x1 * b1 + x2 * b2 - y1 * a1 - y2 * a2;
      x2 = x1;
      x1 = v;
      const z = y * 1 + y1 * -2 + y2 * 1 - z1 * r1 - z2 * r2;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      // Channel 0 opens the frame's slot, the next adds to it.
      ring[p] = c === 0 ? z * z : (ring[p] as number) + z * z;
      if (++p === size) p = 0;
    }
    st.set([x1, x2, y1, y2, z1, z2], o);
  }
  let t = total;
  let p = pos;
  for (let f = 0; f < n / ch; f++) {
    t += ring[p] as number;
    ring[p] = t;
    if (++p === size) p = 0;
  }
  return t;
}

export class LoudnessMeter {
  private readonly k: Float64Array;
  private readonly st: Float64Array;
  /** Running total of the channel-summed K-weighted energy after each of the last 3 s of frames. */
  private readonly ring: Float64Array;
  private pos = 0;
  private total = 0;
  private frames = 0;
  private sinceBlock = 0;
  private readonly step: number;
  private readonly n400: number;
  private readonly n3000: number;
  private readonly i400 = new Gate();
  private readonly i3000 = new Gate();
  private blocks = 0;
  /**
   * Once per second (t = 1 s, 2 s, …): the mean square of the last 400 ms (zero-padded before it fills)
   * and of the last 3 s (−inf before it fills), as LUFS — loudness-timeline.ts's values from this fold.
   */
  readonly momentary: number[] = [];
  readonly shortTerm: number[] = [];

  /**
   * `onShortTerm`: every 100 ms block's short-term (3 s) loudness as ebur128's frame lines print it (t in
   * s; about −120.7 before the window fills): the result page's timeline, folded from this same pass.
   */
  constructor(
    private readonly channels: 1 | 2,
    rate: number,
    private readonly onShortTerm?: (t: number, lufs: number) => void,
  ) {
    const [pre, rlb] = kWeighting(rate);
    this.k = Float64Array.from([...pre, rlb[3] as number, rlb[4] as number]);
    this.st = new Float64Array(6 * channels);
    this.step = Math.floor(rate / 10);
    this.n400 = Math.floor((rate * 4) / 10);
    this.n3000 = rate * 3;
    // One slot more than 3 s: the total from before the window's first frame is still there.
    this.ring = new Float64Array(this.n3000 + 1);
  }

  /** Frames folded so far. */
  get seen(): number {
    return this.frames;
  }

  /** Interleaved float frames (n samples, whole frames). */
  push(x: Float32Array, n: number): void {
    const ch = this.channels;
    const frames = n / ch;
    let at = 0;
    // Runs that end on a block boundary, so every 100 ms evaluation sees exactly its frames.
    while (at < frames) {
      const run = Math.min(frames - at, this.step - this.sinceBlock);
      const sub = at === 0 && run === frames ? x : x.subarray(at * ch, (at + run) * ch);
      this.total = foldEnergy(sub, run * ch, ch, this.k, this.st, this.ring, this.pos, this.total);
      this.pos = (this.pos + run) % this.ring.length;
      this.frames += run;
      this.sinceBlock += run;
      at += run;
      if (this.sinceBlock === this.step) {
        this.sinceBlock = 0;
        this.block();
      }
    }
  }

  /** Total energy before the last `len` frames (0 before the stream). */
  private totalBefore(len: number): number {
    if (len >= this.frames) return 0;
    const size = this.ring.length;
    return this.ring[(((this.pos - 1 - len) % size) + size) % size] as number;
  }

  private block(): void {
    // ffmpeg: power = (1e-12 + Σ channel sums) / window, or 1e-12 while the window is not yet full.
    const power = (len: number) =>
      this.frames >= len ? (1e-12 + (this.total - this.totalBefore(len))) / len : 1e-12;
    const p400 = power(this.n400);
    const l400 = loudnessOf(p400);
    if (l400 >= ABS_GATE) this.i400.add(p400, l400);
    const p3000 = power(this.n3000);
    const l3000 = loudnessOf(p3000);
    if (l3000 >= ABS_GATE) this.i3000.add(p3000, l3000);
    ++this.blocks;
    this.onShortTerm?.(this.blocks / 10, l3000);
    if (this.blocks % 10 !== 0) return;
    const mean = (len: number) => (this.total - this.totalBefore(len)) / len;
    this.momentary.push(loudnessOf(mean(4 * this.step)));
    this.shortTerm.push(
      this.frames >= 30 * this.step ? loudnessOf(mean(30 * this.step)) : Number.NEGATIVE_INFINITY,
    );
  }

  /** Integrated loudness, LUFS: −70 (ffmpeg's initial value) when no block passed the gates. */
  integrated(): number {
    const g = this.i400;
    if (g.blocks === 0) return ABS_GATE;
    let n = 0;
    let e = 0;
    for (let i = g.gateBin(-10); i < BINS; i++) {
      const c = g.counts[i] as number;
      n += c;
      e += c * binEnergy(i);
    }
    return n > 0 ? loudnessOf(e / n) : ABS_GATE;
  }

  /** Loudness range, LU (0 when no 3 s block passed the gates). */
  range(): number {
    const g = this.i3000;
    if (g.blocks === 0) return 0;
    const gate = g.gateBin(-20);
    let total = 0;
    for (let i = gate; i < BINS; i++) total += g.counts[i] as number;
    if (total === 0) return 0;
    let low = Number.NaN;
    let high = Number.NaN;
    // ffmpeg converts the percentile counts to uint64 after adding 0.5 (round half up).
    const lowCount = Math.floor((10 * total) / 100 + 0.5);
    let n = 0;
    for (let i = gate; i < BINS; i++) {
      n += g.counts[i] as number;
      if (n >= lowCount) {
        low = binLoudness(i);
        break;
      }
    }
    const highCount = Math.floor((95 * total) / 100 + 0.5);
    n = total;
    for (let i = BINS - 1; i >= 0; i--) {
      n -= g.counts[i] as number;
      if (n < highCount) {
        high = binLoudness(i);
        break;
      }
    }
    return high - low;
  }
}
