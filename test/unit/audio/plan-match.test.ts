// The pure reference-match planner on hand-made measurements: the EQ is the target's tone minus the
// input's, level-free, bounded and smoothed; width moves side vs mid; only the chosen aspects act; the
// ffmpeg fragment keeps the length (delay trimmed, amerge cuts the tail).

import { describe, expect, it } from "bun:test";
import type { MatchMeasurement } from "../../../src/audio/match-measure";
import { THIRD_OCTAVE_HZ } from "../../../src/audio/match-spectrum";
import { chainGraph } from "../../../src/audio/plan-chain";
import {
  averageReferences,
  EQ_LIMIT_DB,
  matchFragment,
  planMatch,
  WIDTH_LIMITS,
} from "../../../src/audio/plan-match";
import { resolveSettings } from "../../../src/audio/settings";

/** A measurement whose mid is −20 dB + tilt(hz) per band and whose side sits `sideDb` below mid. */
function m(o: {
  tilt?: (hz: number) => number;
  sideDb?: number;
  lufs?: number;
  spread?: number;
}): MatchMeasurement {
  const mid = THIRD_OCTAVE_HZ.map((hz) => -20 + (o.tilt?.(hz) ?? 0));
  return {
    duration_s: 10,
    sample_rate: 48000,
    channels: 2,
    integrated_lufs: o.lufs ?? -18,
    lra_lu: 6,
    true_peak_dbtp: -3,
    crest_db: 15,
    short_term: { p10: -24, p50: -20, p95: -24 + (o.spread ?? 8) },
    pause_ratio: 0,
    spectrum: {
      hz: [...THIRD_OCTAVE_HZ],
      mid_db: mid,
      side_db: mid.map((x) => x - (o.sideDb ?? 10)),
      total_db: mid.map((x) => 10 * Math.log10(10 ** (x / 10) + 10 ** ((x - (o.sideDb ?? 10)) / 10))),
      frames: 100,
    },
  };
}

const at = (eq: number[] | null, hz: number) =>
  eq?.[THIRD_OCTAVE_HZ.findIndex((f) => Math.abs(f - hz) / hz < 0.05)] as number;

describe("planMatch", () => {
  it("derives the tilt between input and reference, level-free, and the width and loudness", () => {
    const input = m({});
    const ref = m({ tilt: (hz) => (hz < 200 ? 4 : hz > 4000 ? -4 : 0), sideDb: 6, lufs: -11 });
    const plan = planMatch(input, averageReferences([{ m: ref, weight: 1 }]), [
      "tone",
      "loudness",
      "width",
      "dynamics",
    ]);
    // +8 dB lows vs highs, whatever the mean offset.
    expect(at(plan.eq_db, 63) - at(plan.eq_db, 10000)).toBeCloseTo(8, 0);
    expect(at(plan.eq_db, 1000)).toBeCloseTo(at(plan.eq_db, 1250), 1);
    // Side 4 dB closer to mid: ×10^(4/20).
    expect(plan.width).toBeCloseTo(10 ** (4 / 20), 1);
    expect(plan.target_lufs).toBe(-11);
    expect(plan.compression_scale).toBe(1);
  });

  it("bounds every band to ±12 dB and the width to its limits; only the chosen aspects act", () => {
    const input = m({});
    const ref = m({ tilt: (hz) => (hz < 100 ? 40 : hz > 8000 ? -40 : 0), sideDb: 40 - 1 });
    const plan = planMatch(input, averageReferences([{ m: ref, weight: 1 }]), ["tone", "width"]);
    for (const g of plan.eq_db ?? []) expect(Math.abs(g)).toBeLessThanOrEqual(EQ_LIMIT_DB);
    expect(plan.width).toBe(WIDTH_LIMITS[0]);
    expect(plan.target_lufs).toBeNull();
    expect(plan.compression_scale).toBeNull();
    const loud = planMatch(input, averageReferences([{ m: ref, weight: 1 }]), ["loudness"]);
    expect(loud.eq_db).toBeNull();
    expect(loud.width).toBeNull();
  });

  it("a reference with less short-term spread asks for more compression, bounded", () => {
    const plan = planMatch(m({ spread: 8 }), averageReferences([{ m: m({ spread: 4 }), weight: 1 }]), [
      "dynamics",
    ]);
    expect(plan.compression_scale).toBeCloseTo(2 ** (4 / 4), 2);
    const extreme = planMatch(m({ spread: 30 }), averageReferences([{ m: m({ spread: 2 }), weight: 1 }]), [
      "dynamics",
    ]);
    expect(extreme.compression_scale).toBe(3);
  });

  it("averages references with their weights", () => {
    const up = m({ tilt: (hz) => (hz < 200 ? 6 : 0) });
    const down = m({ tilt: (hz) => (hz < 200 ? -6 : 0) });
    const t = averageReferences([
      { m: up, weight: 0.75 },
      { m: down, weight: 0.25 },
    ]);
    const plan = planMatch(m({}), t, ["tone"]);
    expect(at(plan.eq_db, 50) - at(plan.eq_db, 2000)).toBeCloseTo(3, 0);
  });
});

describe("matchFragment in the chain", () => {
  it("trims the EQ's delay, cuts its tail with amerge and runs before the style chain (dry path too)", () => {
    const plan = {
      aspects: ["tone", "width"] as const,
      eq_db: THIRD_OCTAVE_HZ.map(() => 1),
      width: 1.2,
      target_lufs: null,
      compression_scale: null,
    };
    const frag = matchFragment(
      { ...plan, aspects: [...plan.aspects] },
      48000,
      true,
      ["volume=2dB"],
      "0:a",
      "matched",
    );
    expect(frag).toContain("firequalizer=gain_entry='entry(0,1);");
    expect(frag).toContain("atrim=start_sample=4800");
    expect(frag).toContain("amerge=inputs=2");
    expect(frag).toContain("extrastereo=m=1.2:c=0[matched]");
    const r = resolveSettings({ mix: 50 });
    const ctx = {
      input_rate: 48000,
      work_rate: 48000,
      channels: 2,
      pre_gain_db: 1,
      match: { ...plan, aspects: [...plan.aspects] },
    };
    const g = chainGraph(r.modules, ctx, "0:a", "out", r.mix);
    expect(g.startsWith("[0:a]asetnsamples=n=4800:p=0,aformat=sample_fmts=flt,volume=1dB")).toBe(true);
    expect(g).toContain("[matched]anull,asplit=2[wetin][dryin]");
  });
});
