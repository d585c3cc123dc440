// PURE: pick the final gain from (gain, measured loudness) pairs of the search pass. A limiter makes
// I(g) concave and monotonic, so piecewise-linear interpolation between the bracketing pair is
// within the meter's 0.1 LU resolution for a 1–3 dB grid.

export type GainPoint = { gain_db: number; lufs: number };

/** The gain that reaches `target` LUFS. Below the grid the chain is linear (slope 1). */
export function solveGain(points: GainPoint[], target: number): number {
  const pts = points
    .filter((p) => Number.isFinite(p.lufs) && p.lufs > -70)
    .sort((a, b) => a.gain_db - b.gain_db);
  const first = pts[0];
  if (!first) throw new Error("solveGain: no finite loudness in the search pass");
  if (target <= first.lufs) return first.gain_db + (target - first.lufs);
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1] as GainPoint;
    const b = pts[i] as GainPoint;
    if (b.lufs >= target) {
      const slope = (b.lufs - a.lufs) / (b.gain_db - a.gain_db);
      return slope > 1e-6 ? a.gain_db + (target - a.lufs) / slope : b.gain_db;
    }
  }
  // Target above the grid: extrapolate the last segment, but never by more than 6 dB.
  const last = pts[pts.length - 1] as GainPoint;
  const prev = pts[pts.length - 2] ?? first;
  const slope = Math.max(0.1, (last.lufs - prev.lufs) / Math.max(1e-6, last.gain_db - prev.gain_db));
  return last.gain_db + Math.min(6, (target - last.lufs) / slope);
}

/** Picks the loudest `windowS` seconds from a per-second momentary loudness timeline (energy mean). */
export function loudestWindow(momentary: (number | null)[], windowS: number, durationS: number): number {
  if (durationS <= windowS) return 0;
  const energy = momentary.map((m) => (m === null ? 0 : 10 ** (m / 10)));
  const w = Math.max(1, Math.round(windowS));
  let sum = 0;
  let best = -1;
  let bestStart = 0;
  for (let i = 0; i < energy.length; i++) {
    sum += energy[i] as number;
    if (i >= w) sum -= energy[i - w] as number;
    // momentary[i] covers (i+0.6 … i+1) s; a window ending there starts at i + 1 − w.
    if (i >= w - 1 && sum > best) {
      best = sum;
      bestStart = i + 1 - w;
    }
  }
  return Math.max(0, Math.min(bestStart, durationS - windowS));
}
