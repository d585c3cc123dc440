// PURE: the "what changed" report of a master — what each stage did, as data and as i18n messages.
// Planned moves (EQ, width, exciter, transient, parallel mix) come from the resolved settings; the
// compression and limiter numbers are measured: each band's RMS before and after its compressor
// (volumedetect in the chain pass), and the limiter's loudness and peak cost from the chain pass's
// meter (pre-limiter) against the written file's analysis (post-limiter).

import type { AlbumChange } from "./album";
import type { Analysis } from "./analyze";
import type { ReferenceChange } from "./changes-match";
import type { LoudnessSummary } from "./ebur128-parse";
import { BANDS, crossoverSplits, LIMITER_MARGIN_DB } from "./plan";
import type { AutoChoice } from "./plan-auto";
import type { ResolvedSettings } from "./settings";

export type Msg = { key: string; params: Record<string, string | number> };

export type WhatChanged = {
  intensity: ResolvedSettings["intensity"];
  mix_pct: number;
  /** Static EQ moves: the style's five bands and the target curve (dB at the band centre). */
  eq: { band: string; from_hz: number; to_hz: number; gain_db: number }[];
  /** Per compressor band: its settings and the measured mean gain reduction (dB, ≥ 0; null = not metered). */
  compression: {
    from_hz: number;
    to_hz: number | null;
    ratio: number;
    threshold_db: number;
    gain_reduction_db: number | null;
  }[];
  transient: { attack_db: number; sustain_db: number } | null;
  parallel_mix: number | null;
  saturation_db: number | null;
  width: { factor: number; correlation_before: number | null; correlation_after: number | null };
  limiter: { ceiling_dbtp: number; max_gain_reduction_db: number; mean_gain_reduction_db: number };
  gain: { staging_db: number; final_db: number };
  /** Reference matching: what was matched and by how much (changes-match.ts); null without a reference. */
  reference?: ReferenceChange | null;
  /** Album mode: the track's place in the album and the album's shared settings (album.ts). */
  album?: AlbumChange | null;
  /** style=auto: the style chosen, why, and the numbers it looked at (plan-auto.ts). */
  auto_style?: AutoChoice | null;
  messages: Msg[];
};

const r1 = (x: number) => Math.round(x * 10) / 10 + 0;
const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(r1(x)).toFixed(1)}`;

const STYLE_BANDS = [
  ["sub", 30, 90],
  ["bass", 90, 280],
  ["mids", 700, 2800],
  ["presence", 2800, 9000],
  ["air", 10000, 18000],
] as const;

function eqMoves(r: ResolvedSettings): WhatChanged["eq"] {
  if (!r.modules.eq.enabled) return [];
  const style = STYLE_BANDS.map(([band, from, to]) => ({
    band,
    from_hz: from,
    to_hz: to,
    gain_db: r.modules.eq.bands[band],
  }));
  // The target curve every style shares (plan-chain.ts targetCurve).
  return [
    ...style,
    { band: "mud", from_hz: 212, to_hz: 424, gain_db: -0.25 },
    { band: "presence_curve", from_hz: 2121, to_hz: 4243, gain_db: 0.35 },
  ];
}

export type ChainMeasurement = {
  /** The chain pass's ebur128@pre (pre-limiter, before the final gain). */
  pre: LoudnessSummary;
  /** volumedetect@b<i>i / b<i>o of the chain pass; null when the pass did not meter bands. */
  bands: Map<string, { mean_db: number; max_db: number }> | null;
  rate: number;
};

export function whatChanged(
  r: ResolvedSettings,
  c: ChainMeasurement,
  p: { before: Analysis; after: Analysis; pre_gain_db: number; gain: number; ceiling: number },
): WhatChanged {
  const m = r.modules;
  const splits = crossoverSplits(c.rate);
  const compression = m.multiband.enabled
    ? Array.from({ length: splits.length + 1 }, (_, i) => {
        const b = BANDS[i] ?? BANDS[3];
        const bi = c.bands?.get(`b${i}i`)?.mean_db;
        const bo = c.bands?.get(`b${i}o`)?.mean_db;
        const gr =
          bi !== undefined && bo !== undefined && Number.isFinite(bi - bo) ? Math.max(0, bi - bo) : null;
        return {
          from_hz: i === 0 ? 0 : (splits[i - 1] as number),
          to_hz: splits[i] ?? null,
          ratio: Math.round((1 + (b.ratio - 1) * m.multiband.amount) * 100) / 100,
          threshold_db: r1(b.threshold_db + m.multiband.threshold_offset_db),
          gain_reduction_db: gr === null ? null : r1(gr),
        };
      })
    : [];
  const limit = p.ceiling - LIMITER_MARGIN_DB;
  const peakIn = (c.pre.sample_peak_dbfs ?? Number.NEGATIVE_INFINITY) + p.gain;
  const loudIn = c.pre.integrated_lufs + p.gain;
  const loudOut = p.after.integrated_lufs ?? loudIn;
  const stereo = p.before.channels >= 2;
  const out: Omit<WhatChanged, "messages"> = {
    intensity: r.intensity,
    mix_pct: Math.round(r.mix * 1000) / 10,
    eq: eqMoves(r),
    compression,
    transient: m.transient.enabled
      ? { attack_db: m.transient.attack_db, sustain_db: m.transient.sustain_db }
      : null,
    parallel_mix: m.parallel.enabled ? m.parallel.mix : null,
    saturation_db: m.saturation.enabled ? r1(m.saturation.amount_db) : null,
    width: {
      factor: m.width.enabled && stereo ? m.width.width : 1,
      correlation_before: p.before.stereo_correlation,
      correlation_after: p.after.stereo_correlation,
    },
    limiter: {
      ceiling_dbtp: Math.round(p.ceiling * 100) / 100,
      // The loudest peak is brought down to the limit; the loudness lost through the limiter is its mean.
      max_gain_reduction_db: r1(Math.max(0, peakIn - limit)),
      mean_gain_reduction_db: r1(Math.max(0, loudIn - loudOut)),
    },
    gain: { staging_db: r1(p.pre_gain_db), final_db: r1(p.gain) },
    reference: null,
  };
  return { ...out, messages: changeMessages(out) };
}

/** One i18n message per stage that did something, in chain order. */
function changeMessages(w: Omit<WhatChanged, "messages">): Msg[] {
  const msgs: Msg[] = [{ key: `audio_changed_intensity_${w.intensity}`, params: {} }];
  const style = Object.fromEntries(w.eq.map((e) => [e.band, signed(e.gain_db)]));
  if (w.eq.length > 0) msgs.push({ key: "audio_changed_eq", params: style });
  if (w.transient) {
    msgs.push({
      key: "audio_changed_transient",
      params: { attack: signed(w.transient.attack_db), sustain: signed(w.transient.sustain_db) },
    });
  }
  if (w.compression.length > 0) {
    const bands = w.compression
      .map((b) => {
        const range = b.to_hz === null ? `> ${b.from_hz} Hz` : `${b.from_hz}–${b.to_hz} Hz`;
        const g = b.gain_reduction_db;
        const gr = g === null ? "?" : g === 0 ? "0.0" : `−${g.toFixed(1)}`;
        return `${range} ${gr}`;
      })
      .join(", ");
    msgs.push({ key: "audio_changed_compression", params: { bands } });
  }
  if (w.parallel_mix !== null) {
    msgs.push({ key: "audio_changed_parallel", params: { percent: Math.round(w.parallel_mix * 100) } });
  }
  if (w.saturation_db !== null)
    msgs.push({ key: "audio_changed_saturation", params: { db: w.saturation_db } });
  if (w.width.factor !== 1 || w.width.correlation_before !== null) {
    const c = (x: number | null) => (x === null ? "—" : x.toFixed(2));
    msgs.push({
      key: "audio_changed_width",
      params: {
        factor: w.width.factor,
        before: c(w.width.correlation_before),
        after: c(w.width.correlation_after),
      },
    });
  }
  if (w.mix_pct < 100) msgs.push({ key: "audio_changed_mix", params: { percent: w.mix_pct } });
  msgs.push({
    key: "audio_changed_limiter",
    params: {
      max: w.limiter.max_gain_reduction_db.toFixed(1),
      mean: w.limiter.mean_gain_reduction_db.toFixed(1),
      ceiling: w.limiter.ceiling_dbtp,
    },
  });
  msgs.push({
    key: "audio_changed_gain",
    params: { staging: signed(w.gain.staging_db), final: signed(w.gain.final_db) },
  });
  return msgs;
}
