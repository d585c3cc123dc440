// PURE: reference matching. Measurements of the input and of up to 3 references (match-measure.ts) →
// a bounded, smoothed corrective EQ (1/3-octave), one M/S width factor, a loudness target and a
// compression scale; then a refinement from the chain's own output (a closed loop: the style chain and
// the compressors colour the sound too) and the ffmpeg fragment that applies it. No fs, no spawn.

import type { MatchMeasurement } from "./match-measure";
import { THIRD_OCTAVE_HZ } from "./match-spectrum";

export const MATCH_ASPECTS = ["tone", "loudness", "width", "dynamics"] as const;
export type MatchAspect = (typeof MATCH_ASPECTS)[number];
export const MAX_REFERENCES = 3;

/** Largest boost or cut of the corrective EQ in any band, dB. */
export const EQ_LIMIT_DB = 12;
/** The width factor stays within these (M/S side gain). */
export const WIDTH_LIMITS = [0.5, 2] as const;
/** Bounds of the compression scale the dynamics match may apply. */
export const COMPRESSION_LIMITS = [0.25, 3] as const;
/** firequalizer latency: the FIR is 2 × this long; ≥ 0.1 s keeps 25–60 Hz resolved (audio-dsp §5.5.4). */
export const EQ_DELAY_S = 0.1;
/** The corrective EQ holds its value below this (and below 1.3 × the chain's high-pass): no rumble boost. */
export const MIN_EQ_HZ = 40;
/** Bands a level this far below the file's loudest band carry no usable information (noise floor). */
const FLOOR_DB = 60;
/** Width is read only where both mid and side carry signal (a side this far below mid is "mono"). */
const SIDE_FLOOR_DB = 40;

/** The (weighted) average of the references: the goal. Tone is level-free (band dB − integrated LUFS). */
export type MatchTarget = {
  integrated_lufs: number;
  lra_lu: number | null;
  crest_db: number | null;
  /** Short-term loudness spread p95 − p10, LU. */
  spread_lu: number | null;
  tone_db: (number | null)[];
  /** side − mid per band, dB (null = no side there). */
  width_db: (number | null)[];
};

export type MatchPlan = {
  aspects: MatchAspect[];
  /** Gain per 1/3-octave band (THIRD_OCTAVE_HZ), dB; null when tone is not matched. */
  eq_db: number[] | null;
  /** M/S side factor; null when width is not matched (or either side is mono). */
  width: number | null;
  /** Loudness goal from the reference(s); null when loudness is not matched. */
  target_lufs: number | null;
  /** Multiplies the multiband compression amount; null when dynamics are not matched. */
  compression_scale: number | null;
};

const lin = (db: number) => 10 ** (db / 10);
const dB = (p: number) => 10 * Math.log10(p);
const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.max(lo, Math.min(hi, x));
const r2 = (x: number) => Math.round(x * 100) / 100 + 0;

function tone(m: MatchMeasurement): (number | null)[] {
  const valid = m.spectrum.total_db.filter((x): x is number => x !== null);
  const top = valid.length ? Math.max(...valid) : 0;
  return m.spectrum.total_db.map((x) => (x === null || x < top - FLOOR_DB ? null : x - m.integrated_lufs));
}

function width(m: MatchMeasurement): (number | null)[] {
  if (m.channels < 2) return m.spectrum.mid_db.map(() => null);
  return m.spectrum.mid_db.map((mid, i) => {
    const side = m.spectrum.side_db[i] ?? null;
    return mid === null || side === null || side < mid - SIDE_FLOOR_DB ? null : side - mid;
  });
}

const spread = (m: MatchMeasurement) => (m.short_term ? m.short_term.p95 - m.short_term.p10 : null);

/** Weighted mean of the values present (null when none is). */
function wmean(values: (number | null)[], weights: number[]): number | null {
  let s = 0;
  let w = 0;
  values.forEach((v, i) => {
    if (v === null) return;
    s += v * (weights[i] as number);
    w += weights[i] as number;
  });
  return w > 0 ? s / w : null;
}

/** Averages the references with their weights (all 1 when omitted). */
export function averageReferences(refs: { m: MatchMeasurement; weight: number }[]): MatchTarget {
  const w = refs.map((r) => r.weight);
  const tones = refs.map((r) => tone(r.m));
  const widths = refs.map((r) => width(r.m));
  const perBand = (rows: (number | null)[][]) =>
    THIRD_OCTAVE_HZ.map((_, b) =>
      wmean(
        rows.map((row) => row[b] ?? null),
        w,
      ),
    );
  return {
    integrated_lufs: wmean(
      refs.map((r) => r.m.integrated_lufs),
      w,
    ) as number,
    lra_lu: wmean(
      refs.map((r) => r.m.lra_lu),
      w,
    ),
    crest_db: wmean(
      refs.map((r) => r.m.crest_db),
      w,
    ),
    spread_lu: wmean(
      refs.map((r) => spread(r.m)),
      w,
    ),
    tone_db: perBand(tones),
    width_db: perBand(widths),
  };
}

/** Missing bands take their nearest neighbour's value, so the curve has no holes. */
function hold(xs: (number | null)[]): number[] {
  const out = xs.slice();
  let last: number | null = null;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === null) out[i] = last;
    else last = out[i] as number;
  }
  last = null;
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === null) out[i] = last;
    else last = out[i] as number;
  }
  return out.map((x) => x ?? 0);
}

/** A [1 2 1]/4 smoothing across neighbouring bands (ends keep their weight). */
function smooth(xs: number[]): number[] {
  return xs.map((x, i) => {
    const a = xs[i - 1] ?? x;
    const c = xs[i + 1] ?? x;
    return (a + 2 * x + c) / 4;
  });
}

/** Width correction (dB of side vs mid) that moves `have` to `want`, weighted by side power. */
function widthStep(have: MatchMeasurement, want: (number | null)[]): number | null {
  const w = width(have);
  const diffs: (number | null)[] = w.map((x, b) => {
    const t = want[b] ?? null;
    const hz = THIRD_OCTAVE_HZ[b] as number;
    return x === null || t === null || hz < 100 || hz > 10000 ? null : t - x;
  });
  const weights = have.spectrum.side_db.map((s) => (s === null ? 0 : lin(s)));
  return wmean(diffs, weights);
}

/**
 * Tone correction that moves `have` (after the width factor changes by `wRatio`) to `want`: per band,
 * held over holes, smoothed, with its loudness-weighted mean removed (level is the loudness stage's job).
 */
function toneStep(have: MatchMeasurement, want: (number | null)[], wRatio: number, lowHz: number): number[] {
  const s = have.spectrum;
  const after = s.mid_db.map((m, b) => {
    if (m === null) return null;
    const side = s.side_db[b] ?? null;
    return dB(lin(m) + (side === null ? 0 : wRatio * wRatio * lin(side))) - have.integrated_lufs;
  });
  const floor = tone(have);
  const raw = after.map((x, b) => {
    const t = want[b] ?? null;
    return x === null || t === null || floor[b] === null ? null : t - x;
  });
  // Below `lowHz` (the chain's high-pass region) nothing is boosted or cut beyond the first band above it.
  const curve = smooth(hold(raw.map((x, b) => ((THIRD_OCTAVE_HZ[b] as number) < lowHz ? null : x))));
  const weights = after.map((x, b) => (x === null || (THIRD_OCTAVE_HZ[b] as number) < 100 ? 0 : lin(x)));
  const mean = wmean(curve, weights) ?? 0;
  return curve.map((x) => x - mean);
}

/** The first plan, from the input's measurement. */
export function planMatch(
  input: MatchMeasurement,
  target: MatchTarget,
  aspects: readonly MatchAspect[],
  lowHz = MIN_EQ_HZ,
): MatchPlan {
  const has = (a: MatchAspect) => aspects.includes(a);
  const wStep = has("width") && input.channels >= 2 ? widthStep(input, target.width_db) : null;
  const w = wStep === null ? null : clamp(10 ** (wStep / 20), WIDTH_LIMITS);
  const eq = has("tone")
    ? toneStep(input, target.tone_db, w ?? 1, lowHz).map((x) => clamp(x, [-EQ_LIMIT_DB, EQ_LIMIT_DB]))
    : null;
  const sIn = spread(input);
  const scale =
    has("dynamics") && sIn !== null && target.spread_lu !== null
      ? clamp(2 ** ((sIn - target.spread_lu) / 4), COMPRESSION_LIMITS)
      : null;
  return {
    aspects: [...aspects],
    eq_db: eq?.map(r2) ?? null,
    width: w === null ? null : r2(w),
    target_lufs: has("loudness") ? Math.round(clamp(target.integrated_lufs, [-30, -6]) * 10) / 10 : null,
    compression_scale: scale === null ? null : r2(scale),
  };
}

/**
 * Refines a plan from what the chain actually produced with it (`rendered`): the remaining tone and
 * width differences to the target are added to the EQ and the width factor, within the same bounds.
 */
export function refineMatch(
  plan: MatchPlan,
  rendered: MatchMeasurement,
  target: MatchTarget,
  lowHz = MIN_EQ_HZ,
): MatchPlan {
  const wStep = plan.width === null ? null : widthStep(rendered, target.width_db);
  const w = plan.width === null ? null : clamp(plan.width * 10 ** ((wStep ?? 0) / 20), WIDTH_LIMITS);
  const ratio = plan.width === null || w === null ? 1 : w / plan.width;
  const eq =
    plan.eq_db === null
      ? null
      : toneStep(rendered, target.tone_db, ratio, lowHz).map((x, b) =>
          clamp((plan.eq_db?.[b] as number) + x, [-EQ_LIMIT_DB, EQ_LIMIT_DB]),
        );
  return { ...plan, eq_db: eq?.map(r2) ?? null, width: w === null ? null : r2(w) };
}

/**
 * RMS difference (dB) of two level-free tone curves over [loHz, hiHz], after removing their mean
 * difference (the level is matched separately): how far the tone still is from the target.
 */
export function toneResidualDb(
  have: MatchMeasurement,
  target: MatchTarget,
  loHz = 60,
  hiHz = 12000,
): number | null {
  const t = tone(have);
  const d = THIRD_OCTAVE_HZ.flatMap((hz, b) => {
    const a = t[b] ?? null;
    const w = target.tone_db[b] ?? null;
    return hz >= loHz && hz <= hiHz && a !== null && w !== null ? [a - w] : [];
  });
  if (d.length === 0) return null;
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  return r2(Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length));
}

/** Width in dB of side vs mid, the target's minus `have`'s, averaged like the width step (null: mono). */
export function widthResidualDb(have: MatchMeasurement, target: MatchTarget): number | null {
  const s = widthStep(have, target.width_db);
  return s === null ? null : r2(s);
}

const f = (x: number, d = 3) => Number(x.toFixed(d)).toString();

/** Whether the plan changes the audio at all (an EQ, or a width other than 1). */
export function matchActive(p: MatchPlan | null | undefined): p is MatchPlan {
  return !!p && (p.eq_db !== null || (p.width !== null && p.width !== 1));
}

/**
 * The ffmpeg fragment `[in]base…,match…[out]`. The EQ is one linear-phase firequalizer (entries at the
 * 1/3-octave centres, flat beyond the ends). It delays by EQ_DELAY_S and appends its tail: the delay is
 * trimmed off the front, and amerge with the untouched signal (it stops with the shorter input) cuts the
 * tail, so the length stays the input's to the sample without knowing it in advance (amix duration=first
 * ended 4 060 samples early: it stops when its first input does, before the delayed one has caught up).
 */
export function matchFragment(
  p: MatchPlan,
  rate: number,
  stereo: boolean,
  base: readonly string[],
  inLabel: string,
  outLabel: string,
): string {
  const widthF = p.width !== null && p.width !== 1 && stereo ? `,extrastereo=m=${f(p.width)}:c=0` : "";
  const head = `[${inLabel}]${base.join(",") || "anull"}`;
  if (p.eq_db === null) return `${head}${widthF}[${outLabel}]`;
  const eq = p.eq_db;
  const nyq = rate / 2;
  const points = THIRD_OCTAVE_HZ.map((hz, b) => [hz, eq[b] as number] as const).filter(([hz]) => hz < nyq);
  const first = points[0]?.[1] ?? 0;
  const last = points[points.length - 1]?.[1] ?? 0;
  const entries = [[0, first] as const, ...points, [nyq, last] as const]
    .map(([hz, g]) => `entry(${f(hz, 1)},${f(g, 2)})`)
    .join(";");
  const delay = Math.round(EQ_DELAY_S * rate);
  // amerge negotiates formats only when both inputs name theirs.
  const fmt = `aformat=sample_fmts=flt:channel_layouts=${stereo ? "stereo" : "mono"}`;
  const pick = stereo ? "pan=stereo|c0=c2|c1=c3" : "pan=mono|c0=c1";
  const l = outLabel;
  return [
    `${head},${fmt},asplit=2[${l}_a][${l}_b]`,
    `[${l}_a]firequalizer=gain_entry='${entries}':delay=${EQ_DELAY_S}:accuracy=2,atrim=start_sample=${delay},asetpts=PTS-STARTPTS,${fmt}[${l}_e]`,
    `[${l}_b][${l}_e]amerge=inputs=2[${l}_m]`,
    `[${l}_m]${pick}${widthF}[${l}]`,
  ].join(";");
}
