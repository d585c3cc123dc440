// PURE: streaming sample statistics over interleaved f32le PCM chunks (what ffmpeg writes to a
// pipe). Folds the stream into per-channel sums (DC, RMS, L·R for correlation), the sample peak
// and how many samples sit at it, and keeps ONE bounded mono window (for the spectrum). JS never
// holds more than that window plus one chunk. Replaces two astats instances and a second decode
// for the spectrum (≈ 1 CPU-s per 3 min of stereo).

export type PcmSummary = {
  frames: number;
  /** Overall sample peak (|x|, linear). */
  peak: number;
  /** Largest and smallest sample and how many samples sit exactly at each (flat tops). */
  max: number;
  max_count: number;
  min: number;
  min_count: number;
  /** Overall RMS over every channel's samples (linear). */
  rms: number;
  /** Per channel mean (DC offset, linear). */
  dc: number[];
  /** Pearson r(L, R) when the stream has two channels, else null. */
  correlation: number | null;
  /** The mono (channel mean) window [window_start, window_start + window_frames) frames. */
  window: Float32Array;
};

export class PcmStats {
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  private sumLR = 0;
  private max = Number.NEGATIVE_INFINITY;
  private min = Number.POSITIVE_INFINITY;
  private maxCount = 0;
  private minCount = 0;
  private frames = 0;
  private readonly input: F32Frames;
  private readonly window: Float32Array;
  private windowFill = 0;

  constructor(
    private readonly channels: number,
    private readonly windowStart = 0,
    windowFrames = 0,
    /** Also sees every whole-frame run (the loudness timeline folds the same samples). */
    private readonly also?: (x: Float32Array, n: number) => void,
  ) {
    this.input = new F32Frames(channels, (x, n) => {
      this.fold(x, n);
      also?.(x, n);
    });
    this.sum = new Float64Array(channels);
    this.sumSq = new Float64Array(channels);
    this.window = new Float32Array(Math.max(0, windowFrames));
  }

  /** Feeds one chunk of interleaved little-endian float32 samples (any byte length). */
  push(chunk: Uint8Array): void {
    this.input.push(chunk);
  }

  /** Feeds whole interleaved frames already as floats (n samples; the array may be reused after). */
  pushFrames(x: Float32Array, n: number): void {
    this.fold(x, n);
    this.also?.(x, n);
  }

  private fold(x: Float32Array, n: number): void {
    const ch = this.channels;
    const frames = n / ch;
    let max = this.max;
    let min = this.min;
    let maxCount = this.maxCount;
    let minCount = this.minCount;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v >= max) {
        if (v > max) {
          max = v;
          maxCount = 1;
        } else maxCount++;
      }
      if (v <= min) {
        if (v < min) {
          min = v;
          minCount = 1;
        } else minCount++;
      }
    }
    this.max = max;
    this.min = min;
    this.maxCount = maxCount;
    this.minCount = minCount;
    if (ch === 2) {
      let sl = 0;
      let sr = 0;
      let sll = 0;
      let srr = 0;
      let slr = 0;
      for (let i = 0; i < n; i += 2) {
        const l = x[i] as number;
        const r = x[i + 1] as number;
        sl += l;
        sr += r;
        sll += l * l;
        srr += r * r;
        slr += l * r;
      }
      this.sum[0] = (this.sum[0] as number) + sl;
      this.sum[1] = (this.sum[1] as number) + sr;
      this.sumSq[0] = (this.sumSq[0] as number) + sll;
      this.sumSq[1] = (this.sumSq[1] as number) + srr;
      this.sumLR += slr;
    } else {
      for (let c = 0; c < ch; c++) {
        let s = 0;
        let ss = 0;
        for (let i = c; i < n; i += ch) {
          const v = x[i] as number;
          s += v;
          ss += v * v;
        }
        this.sum[c] = (this.sum[c] as number) + s;
        this.sumSq[c] = (this.sumSq[c] as number) + ss;
      }
    }
    // The spectrum window: frames [windowStart, windowStart + window.length) as a channel mean.
    const w0 = this.windowStart;
    const w1 = w0 + this.window.length;
    const f0 = this.frames;
    const from = Math.max(f0, w0);
    const to = Math.min(f0 + frames, w1);
    for (let f = from; f < to; f++) {
      let acc = 0;
      const base = (f - f0) * ch;
      for (let c = 0; c < ch; c++) acc += x[base + c] as number;
      this.window[f - w0] = acc / ch;
      this.windowFill = f - w0 + 1;
    }
    this.frames += frames;
  }

  summary(): PcmSummary {
    const ch = this.channels;
    const frames = this.frames;
    const empty = frames === 0;
    const peak = empty ? 0 : Math.max(Math.abs(this.max), Math.abs(this.min));
    let sq = 0;
    for (let c = 0; c < ch; c++) sq += this.sumSq[c] as number;
    const mean = (c: number) => (empty ? 0 : (this.sum[c] as number) / frames);
    let correlation: number | null = null;
    if (ch === 2) {
      const ml = mean(0);
      const mr = mean(1);
      const vl = empty ? 0 : (this.sumSq[0] as number) / frames - ml * ml;
      const vr = empty ? 0 : (this.sumSq[1] as number) / frames - mr * mr;
      const cov = empty ? 0 : this.sumLR / frames - ml * mr;
      correlation = vl <= 1e-15 || vr <= 1e-15 ? 0 : Math.max(-1, Math.min(1, cov / Math.sqrt(vl * vr)));
    }
    return {
      frames,
      peak,
      max: empty ? 0 : this.max,
      max_count: this.maxCount,
      min: empty ? 0 : this.min,
      min_count: this.min === this.max ? 0 : this.minCount,
      rms: empty ? 0 : Math.sqrt(sq / (frames * ch)),
      dc: Array.from({ length: ch }, (_, c) => mean(c)),
      correlation,
      window: this.window.subarray(0, this.windowFill),
    };
  }
}

/**
 * Reassembles interleaved little-endian f32 frames from pipe chunks of any byte length (they start at
 * arbitrary offsets): whole frames go to `fold` from one aligned, reused buffer; a partial frame waits.
 */
export class F32Frames {
  private readonly carry: Uint8Array;
  private carryLen = 0;
  private buf = new Float32Array(0);

  constructor(
    private readonly channels: number,
    private readonly fold: (x: Float32Array, n: number) => void,
  ) {
    this.carry = new Uint8Array(4 * channels);
  }

  push(chunk: Uint8Array): void {
    const frameBytes = 4 * this.channels;
    const total = this.carryLen + chunk.length;
    const whole = total - (total % frameBytes);
    if (whole === 0) {
      this.carry.set(chunk, this.carryLen);
      this.carryLen = total;
      return;
    }
    const n = whole / 4;
    if (this.buf.length < n) this.buf = new Float32Array(Math.max(n, 16384));
    const bytes = new Uint8Array(this.buf.buffer, 0, whole);
    bytes.set(this.carry.subarray(0, this.carryLen), 0);
    bytes.set(chunk.subarray(0, whole - this.carryLen), this.carryLen);
    const rest = chunk.subarray(whole - this.carryLen);
    this.carry.set(rest, 0);
    this.carryLen = rest.length;
    this.fold(this.buf, n);
  }
}
