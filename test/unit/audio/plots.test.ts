// The plot accumulator (src/audio/plots.ts) on synthetic PCM: waveform columns and their envelope, the
// timeline's step and power mean, bounded memory when a file runs far past its probed length, and the
// 1/3-octave spectrum putting a sine in its band.
import { describe, expect, it } from "bun:test";
import { PlotAccumulator, TIMELINE_POINTS, timelineStep, WAVEFORM_COLUMNS } from "../../../src/audio/plots";

const RATE = 8000;

/** Interleaved stereo f32 bytes of `frames` frames, left = f(i), right = g(i). */
function pcm(frames: number, l: (i: number) => number, r: (i: number) => number = l): Uint8Array {
  const x = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    x[2 * i] = l(i);
    x[2 * i + 1] = r(i);
  }
  return new Uint8Array(x.buffer);
}

/** Feeds `bytes` in odd-sized chunks (pipe chunks start anywhere, even inside a sample). */
function feed(acc: PlotAccumulator, bytes: Uint8Array, chunk = 4093): void {
  for (let o = 0; o < bytes.length; o += chunk) acc.push(bytes.subarray(o, o + chunk));
}

describe("plot accumulator", () => {
  it("folds a file into ~1000 min/max columns that follow its envelope", () => {
    const seconds = 10;
    const frames = seconds * RATE;
    // Quiet first half (0.1), loud second half (0.8); a 440 Hz sine.
    const amp = (i: number) => (i < frames / 2 ? 0.1 : 0.8);
    const acc = new PlotAccumulator(2, RATE, seconds);
    feed(
      acc,
      pcm(frames, (i) => amp(i) * Math.sin((2 * Math.PI * 440 * i) / RATE)),
    );
    const p = acc.result();
    expect(p.duration_s).toBe(seconds);
    expect(p.waveform.columns).toBe(WAVEFORM_COLUMNS);
    expect(p.waveform.step_s).toBeCloseTo(seconds / WAVEFORM_COLUMNS, 6);
    const first = p.waveform.max.slice(0, 400);
    const last = p.waveform.max.slice(600);
    expect(Math.max(...first)).toBeLessThanOrEqual(Math.round(0.1 * 127));
    expect(Math.min(...last)).toBeGreaterThanOrEqual(Math.round(0.8 * 127) - 2);
    expect(Math.max(...p.waveform.min.slice(600))).toBeLessThanOrEqual(-(Math.round(0.8 * 127) - 2));
  });

  it("keeps columns and points bounded when the file decodes far longer than probed", () => {
    // Probed as 1 s, decodes to 50 s: columns and timeline points merge pairwise instead of growing.
    const acc = new PlotAccumulator(2, RATE, 1);
    const frames = 50 * RATE;
    feed(
      acc,
      pcm(frames, (i) => (i % 100) / 100),
      65536,
    );
    for (let k = 1; k <= 2000; k++) acc.frame(k / 10, -20);
    const p = acc.result();
    expect(p.waveform.columns).toBeGreaterThanOrEqual(WAVEFORM_COLUMNS / 2);
    expect(p.waveform.columns).toBeLessThanOrEqual(2 * WAVEFORM_COLUMNS);
    expect(p.waveform.step_s * p.waveform.columns).toBeGreaterThanOrEqual(49.9);
    expect(p.loudness.short_term_lufs.length).toBeLessThanOrEqual(2 * TIMELINE_POINTS);
    expect(p.loudness.short_term_lufs.every((v) => v === -20)).toBe(true);
  });

  it("steps the timeline in multiples of 100 ms to fit ≤ 600 points, averaging in power", () => {
    expect(timelineStep(10)).toBeCloseTo(0.1, 9);
    expect(timelineStep(60)).toBeCloseTo(0.1, 9);
    expect(timelineStep(600)).toBeCloseTo(1, 9);
    expect(timelineStep(3600)).toBeCloseTo(6, 9);
    const acc = new PlotAccumulator(2, RATE, 600);
    // One bucket of 10 frames: five at −10 and five at −20 LUFS → power mean −12.6 LUFS.
    for (let k = 1; k <= 10; k++) acc.frame(k / 10, k <= 5 ? -10 : -20);
    // Silence (the meter's −inf / −120.7) is no value, not a very low one.
    for (let k = 11; k <= 20; k++) acc.frame(k / 10, Number.NEGATIVE_INFINITY);
    const p = acc.result();
    expect(p.loudness.step_s).toBe(1);
    expect(p.loudness.short_term_lufs[0]).toBeCloseTo(10 * Math.log10((0.1 + 0.01) / 2), 1);
    expect(p.loudness.short_term_lufs[1]).toBeNull();
  });

  it("puts a sine's power in its 1/3-octave band at about −3 dB per full scale", () => {
    const rate = 44100;
    const seconds = 3;
    const acc = new PlotAccumulator(2, rate, seconds);
    feed(
      acc,
      pcm(seconds * rate, (i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate)),
      65536,
    );
    const { hz, db } = acc.result().spectrum;
    expect(hz).toHaveLength(30);
    const k = hz.findIndex((f) => Math.abs(f - 1000) < 1);
    // 0.5 amplitude → mean square 0.125 → −9.0 dB.
    expect(db[k] as number).toBeCloseTo(-9, 0);
    for (const [i, v] of db.entries()) if (Math.abs(i - k) > 1 && v !== null) expect(v).toBeLessThan(-40);
  });
});
