// PURE: the reference-matching part of the "what changed" report — what was matched and by how much,
// as data and as i18n messages. The residuals are measured on the delivered file against the target.

import type { Msg } from "./changes";
import type { MatchMeasurement } from "./match-measure";
import { THIRD_OCTAVE_HZ } from "./match-spectrum";
import {
  type MatchAspect,
  type MatchPlan,
  type MatchTarget,
  toneResidualDb,
  widthResidualDb,
} from "./plan-match";

export type ReferenceChange = {
  aspects: MatchAspect[];
  /** Normalised weights, one per reference in upload order. */
  weights: number[];
  /** The corrective EQ applied, per 1/3-octave band (dB); null when tone was not matched. */
  eq: { hz: number; gain_db: number }[] | null;
  /** M/S side factor applied; null when width was not matched (or mono). */
  width: number | null;
  loudness: { reference_lufs: number; target_lufs: number; output_lufs: number | null } | null;
  dynamics: {
    input_spread_lu: number | null;
    reference_spread_lu: number | null;
    input_crest_db: number | null;
    reference_crest_db: number | null;
    compression_scale: number;
  } | null;
  /** How far the delivered file still is from the target (tone: dB RMS 60 Hz–12 kHz; width: dB). */
  residual: { tone_db_rms: number | null; width_db: number | null; loudness_lu: number | null };
  /** 2 when the chain's own colouring was measured and corrected by a second chain pass. */
  chain_passes: number;
};

const r1 = (x: number) => Math.round(x * 10) / 10 + 0;
const r2 = (x: number) => Math.round(x * 100) / 100 + 0;
const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(r1(x)).toFixed(1)}`;
const fmt = (x: number | null) => (x === null ? "—" : x.toFixed(1));

/** Band gain at the 1/3-octave centre nearest `hz`. */
function at(eq: { hz: number; gain_db: number }[], hz: number): number {
  let best = eq[0];
  for (const e of eq) if (Math.abs(Math.log(e.hz / hz)) < Math.abs(Math.log((best?.hz ?? 1) / hz))) best = e;
  return best?.gain_db ?? 0;
}

export function referenceChange(p: {
  plan: MatchPlan;
  target: MatchTarget;
  input: MatchMeasurement;
  weights: number[];
  passes: number;
  /** The delivered file (decoded), measured the same way. */
  output: MatchMeasurement;
  /** The loudness target the master ran at (an explicit target beats the reference). */
  target_lufs: number;
}): ReferenceChange {
  const { plan, target } = p;
  const sIn = p.input.short_term ? p.input.short_term.p95 - p.input.short_term.p10 : null;
  return {
    aspects: plan.aspects,
    weights: p.weights.map(r2),
    eq:
      plan.eq_db?.map((g, b) => ({ hz: Math.round((THIRD_OCTAVE_HZ[b] as number) * 10) / 10, gain_db: g })) ??
      null,
    width: plan.width,
    loudness:
      plan.target_lufs === null
        ? null
        : {
            reference_lufs: r1(target.integrated_lufs),
            target_lufs: p.target_lufs,
            output_lufs: r1(p.output.integrated_lufs),
          },
    dynamics:
      plan.compression_scale === null
        ? null
        : {
            input_spread_lu: sIn === null ? null : r1(sIn),
            reference_spread_lu: target.spread_lu === null ? null : r1(target.spread_lu),
            input_crest_db: p.input.crest_db === null ? null : r1(p.input.crest_db),
            reference_crest_db: target.crest_db === null ? null : r1(target.crest_db),
            compression_scale: plan.compression_scale,
          },
    residual: {
      tone_db_rms: plan.eq_db === null ? null : toneResidualDb(p.output, target),
      width_db: plan.width === null ? null : widthResidualDb(p.output, target),
      loudness_lu: plan.target_lufs === null ? null : r2(p.output.integrated_lufs - target.integrated_lufs),
    },
    chain_passes: p.passes,
  };
}

/** One message for the match as a whole, then one per matched aspect. */
export function referenceMessages(c: ReferenceChange): Msg[] {
  const msgs: Msg[] = [
    { key: "audio_changed_reference", params: { count: c.weights.length, aspects: c.aspects.join(", ") } },
  ];
  if (c.eq) {
    msgs.push({
      key: "audio_changed_reference_tone",
      params: {
        low: signed(at(c.eq, 63)),
        lowmid: signed(at(c.eq, 250)),
        mid: signed(at(c.eq, 1000)),
        high: signed(at(c.eq, 4000)),
        air: signed(at(c.eq, 12500)),
        residual: fmt(c.residual.tone_db_rms),
      },
    });
  }
  if (c.width !== null) {
    msgs.push({
      key: "audio_changed_reference_width",
      params: { factor: c.width.toFixed(2), residual: fmt(c.residual.width_db) },
    });
  }
  if (c.loudness) {
    msgs.push({
      key: "audio_changed_reference_loudness",
      params: {
        reference: fmt(c.loudness.reference_lufs),
        target: fmt(c.loudness.target_lufs),
        output: fmt(c.loudness.output_lufs),
      },
    });
  }
  if (c.dynamics) {
    msgs.push({
      key: "audio_changed_reference_dynamics",
      params: {
        input: fmt(c.dynamics.input_spread_lu),
        reference: fmt(c.dynamics.reference_spread_lu),
        scale: c.dynamics.compression_scale.toFixed(2),
      },
    });
  }
  return msgs;
}
