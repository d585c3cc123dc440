// PURE: the long-term spectrum reference matching compares — mid and side power per 1/3-octave band,
// accumulated over the WHOLE file (Welch: Hann frames, 50 % overlap) from interleaved f32 chunks, so JS
// holds one frame, never the file. Mono input is all mid (side = 0).

import FFT from "fft.js";

/** 1/3-octave band centres (IEC 61260 base-10 series) from 25 Hz to 20 kHz: 30 bands. */
export const THIRD_OCTAVE_HZ: readonly number[] = Array.from({ length: 30 }, (_, i) => 10 ** ((14 + i) / 10));
const EDGE = 10 ** (1 / 20);

/** FFT length: 2.7 Hz bins at 44.1 kHz, so the 63 Hz band (56–71 Hz) spans several bins. */
export const MATCH_FFT = 16384;

export type BandSpectrum = {
  hz: number[];
  /** Mean power per band, dB (a full-scale sine in mid reads about −3 dB); null above Nyquist or empty. */
  mid_db: (number | null)[];
  side_db: (number | null)[];
  /** Mid + side = the mean of the channels' power, dB. */
  total_db: (number | null)[];
  frames: number;
};

const dB = (p: number) => (p > 1e-20 ? 10 * Math.log10(p) : null);

export class SpectrumAccumulator {
  private readonly fft = new FFT(MATCH_FFT);
  private readonly window = Float64Array.from(
    { length: MATCH_FFT },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / MATCH_FFT),
  );
  private readonly mid = new Float64Array(MATCH_FFT);
  private readonly side = new Float64Array(MATCH_FFT);
  private fill = 0;
  private readonly pm = new Float64Array(MATCH_FFT / 2 + 1);
  private readonly ps = new Float64Array(MATCH_FFT / 2 + 1);
  private readonly frame = new Float64Array(MATCH_FFT);
  private readonly spec: number[];
  private frames = 0;
  private carry = new Uint8Array(0);

  constructor(
    private readonly channels: number,
    private readonly rate: number,
  ) {
    this.spec = this.fft.createComplexArray();
  }

  /** Interleaved little-endian f32 bytes, any chunking. */
  push(chunk: Uint8Array): void {
    const bytes = new Uint8Array(this.carry.length + chunk.length);
    bytes.set(this.carry);
    bytes.set(chunk, this.carry.length);
    const frameBytes = 4 * this.channels;
    const whole = bytes.length - (bytes.length % frameBytes);
    this.carry = bytes.slice(whole);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    const ch = this.channels;
    for (let off = 0; off < whole; off += frameBytes) {
      const l = view.getFloat32(off, true);
      const r = ch >= 2 ? view.getFloat32(off + 4, true) : l;
      this.mid[this.fill] = (l + r) / 2;
      this.side[this.fill] = (l - r) / 2;
      if (++this.fill === MATCH_FFT) this.flush();
    }
  }

  private transform(x: Float64Array, into: Float64Array): void {
    for (let i = 0; i < MATCH_FFT; i++) this.frame[i] = (x[i] as number) * (this.window[i] as number);
    this.fft.realTransform(this.spec, this.frame);
    for (let k = 0; k <= MATCH_FFT / 2; k++) {
      const re = this.spec[2 * k] as number;
      const im = this.spec[2 * k + 1] as number;
      into[k] = (into[k] as number) + re * re + im * im;
    }
  }

  private flush(): void {
    this.transform(this.mid, this.pm);
    if (this.channels >= 2) this.transform(this.side, this.ps);
    this.frames++;
    // 50 % overlap: keep the second half as the next frame's first half.
    const half = MATCH_FFT / 2;
    this.mid.copyWithin(0, half);
    this.side.copyWithin(0, half);
    this.fill = half;
  }

  result(): BandSpectrum {
    const binHz = this.rate / MATCH_FFT;
    // Hann power gain, so a band's number is a mean-square level independent of the FFT length.
    const norm = this.frames * MATCH_FFT * MATCH_FFT * 0.375;
    const band = (p: Float64Array, fc: number) => {
      const lo = fc / EDGE;
      const hi = fc * EDGE;
      if (hi > this.rate / 2 || this.frames === 0) return Number.NaN;
      let sum = 0;
      for (let k = Math.max(1, Math.ceil(lo / binHz)); k * binHz < hi; k++) sum += p[k] as number;
      // One-sided spectrum: ×2 for the negative frequencies.
      return (2 * sum) / norm;
    };
    const hz = THIRD_OCTAVE_HZ.map((f) => Math.round(f * 10) / 10);
    const m = THIRD_OCTAVE_HZ.map((f) => band(this.pm, f));
    const s = THIRD_OCTAVE_HZ.map((f) => band(this.ps, f));
    const ok = (x: number) => Number.isFinite(x);
    return {
      hz,
      mid_db: m.map((x) => (ok(x) ? dB(x) : null)),
      side_db: s.map((x) => (ok(x) ? dB(x) : null)),
      total_db: m.map((x, i) => (ok(x) ? dB(x + (s[i] as number)) : null)),
      frames: this.frames,
    };
  }
}
