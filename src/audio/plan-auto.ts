// PURE: style=auto. Features of the input's measurement (match-measure.ts) → one of the catalogue's
// styles and the reason, as data and as an i18n message (RU/EN). The rules are ordered and documented
// here; thresholds were set on the generated fixtures (test/fixtures/audio.ts) and the §5.2 music mix.

import type { Msg } from "./changes";
import type { MatchMeasurement } from "./match-measure";
import { THIRD_OCTAVE_HZ } from "./match-spectrum";

export type AutoFeatures = {
  /** Share of the energy in the voice band 250 Hz–4 kHz, 0–1. */
  voice_share: number;
  /** Energy below 120 Hz relative to the whole, dB. */
  low_end_db: number;
  /** Slope of the 1/3-octave spectrum over 100 Hz–10 kHz, dB per octave (pink noise ≈ 0). */
  tilt_db_per_oct: number;
  crest_db: number | null;
  lra_lu: number | null;
  /** Share of momentary frames that are pauses (20 dB under the loud frames). */
  pause_ratio: number;
};

export type AutoReason = "speech" | "dynamic" | "bass_dense" | "bass" | "bright" | "balanced";

export type AutoChoice = { style: string; reason: AutoReason; features: AutoFeatures };

const r2 = (x: number) => Math.round(x * 100) / 100 + 0;

export function autoFeatures(m: MatchMeasurement): AutoFeatures {
  const bands = THIRD_OCTAVE_HZ.map((hz, b) => ({ hz, db: m.spectrum.total_db[b] ?? null }));
  const energy = (lo: number, hi: number) =>
    bands.reduce((s, x) => (x.db !== null && x.hz >= lo && x.hz < hi ? s + 10 ** (x.db / 10) : s), 0);
  const total = energy(0, Number.POSITIVE_INFINITY) || 1e-30;
  // Least-squares slope of dB against octaves.
  const pts = bands.filter((x) => x.db !== null && x.hz >= 100 && x.hz <= 10000);
  const xs = pts.map((x) => Math.log2(x.hz));
  const ys = pts.map((x) => x.db as number);
  const mx = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const my = ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  return {
    voice_share: r2(energy(250, 4000) / total),
    low_end_db: r2(10 * Math.log10(Math.max(energy(0, 120), 1e-30) / total)),
    tilt_db_per_oct: den > 0 ? r2(num / den) : 0,
    crest_db: m.crest_db,
    lra_lu: m.lra_lu,
    pause_ratio: m.pause_ratio,
  };
}

/**
 * The rules, first match wins:
 * 1. speech — regular pauses (≥ 15 % of frames), almost no low end (≤ −15 dB below 120 Hz) and a quarter or
 *    more of the energy in the voice band → podcast;
 * 2. dynamic — a wide loudness range (LRA ≥ 10 LU, or ≥ 7 LU with a crest factor ≥ 20 dB) → classical;
 * 3. bass-heavy — 80 % or more of the energy below 120 Hz (music mixes measure 50–65 %): already dense
 *    (crest < 12 dB) → edm, else hiphop;
 * 4. bright — a spectrum rising more than 1.5 dB per octave → lofi (its softer top end);
 * 5. otherwise standard.
 */
export function pickStyle(f: AutoFeatures): AutoChoice {
  const choose = (style: string, reason: AutoReason): AutoChoice => ({ style, reason, features: f });
  if (f.pause_ratio >= 0.15 && f.low_end_db <= -15 && f.voice_share >= 0.25)
    return choose("podcast", "speech");
  const lra = f.lra_lu ?? 0;
  if (lra >= 10 || (lra >= 7 && (f.crest_db ?? 0) >= 20)) return choose("classical", "dynamic");
  if (f.low_end_db >= -1)
    return (f.crest_db ?? 99) < 12 ? choose("edm", "bass_dense") : choose("hiphop", "bass");
  if (f.tilt_db_per_oct > 1.5) return choose("lofi", "bright");
  return choose("standard", "balanced");
}

const fmt = (x: number | null, d = 1) => (x === null ? "—" : x.toFixed(d));

/** "Auto style: X — because …" with the numbers the rule looked at. */
export function autoMessage(c: AutoChoice): Msg {
  const f = c.features;
  return {
    key: `audio_auto_${c.reason}`,
    params: {
      voice: Math.round(f.voice_share * 100),
      pauses: Math.round(f.pause_ratio * 100),
      low: fmt(f.low_end_db),
      tilt: fmt(f.tilt_db_per_oct),
      crest: fmt(f.crest_db),
      lra: fmt(f.lra_lu),
    },
  };
}
