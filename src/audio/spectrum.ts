// Spectrum of a bounded mono window: averaged Hann-windowed FFT frames, reduced to log-spaced bands.
// Pure (samples in, numbers out); the window is read by analyze.ts so JS never holds a whole file.

import FFT from "fft.js";

export const SPECTRUM_BANDS = 64;
export const FFT_SIZE = 8192;

/** Band edges: 64 log-spaced bands from 20 Hz to 20 kHz (f_b = 20·1000^(b/64)). */
export function bandEdges(n = SPECTRUM_BANDS): number[] {
  return Array.from({ length: n + 1 }, (_, b) => 20 * 1000 ** (b / n));
}

/**
 * Per band: the level (dBFS, a full-scale sine reads 0) of the strongest bin of the average power
 * spectrum; null for bands above Nyquist or when there is too little audio for one frame.
 */
export function spectrumBands(samples: Float32Array, rate: number): { hz: number[]; db: (number | null)[] } {
  const edges = bandEdges();
  const hz = edges.slice(0, -1).map((lo, i) => Math.round(Math.sqrt(lo * (edges[i + 1] as number))));
  if (samples.length < FFT_SIZE || rate <= 0) return { hz, db: hz.map(() => null) };
  const fft = new FFT(FFT_SIZE);
  const window = Float64Array.from(
    { length: FFT_SIZE },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FFT_SIZE - 1)),
  );
  const wsum = window.reduce((a, b) => a + b, 0);
  const power = new Float64Array(FFT_SIZE / 2 + 1);
  const frame = new Float64Array(FFT_SIZE);
  const out: number[] = fft.createComplexArray();
  let frames = 0;
  for (let start = 0; start + FFT_SIZE <= samples.length; start += FFT_SIZE / 2) {
    for (let i = 0; i < FFT_SIZE; i++) frame[i] = (samples[start + i] as number) * (window[i] as number);
    fft.realTransform(out, frame);
    for (let k = 0; k <= FFT_SIZE / 2; k++) {
      const re = out[2 * k] as number;
      const im = out[2 * k + 1] as number;
      power[k] = (power[k] as number) + re * re + im * im;
    }
    frames++;
  }
  const binHz = rate / FFT_SIZE;
  const db = hz.map((_, b) => {
    const lo = edges[b] as number;
    const hi = edges[b + 1] as number;
    if (lo >= rate / 2) return null;
    let k0 = Math.floor(lo / binHz);
    let k1 = Math.min(FFT_SIZE / 2, Math.ceil(hi / binHz));
    if (k1 <= k0) k1 = k0 + 1;
    k0 = Math.max(1, k0);
    let best = 0;
    for (let k = k0; k <= k1; k++) best = Math.max(best, (power[k] as number) / frames);
    // Amplitude of a sinusoid from a Hann-windowed bin: 2·|X|/Σw.
    const amp = (2 * Math.sqrt(best)) / wsum;
    return Math.round(20 * Math.log10(Math.max(amp, 1e-12)) * 100) / 100;
  });
  return { hz, db };
}
