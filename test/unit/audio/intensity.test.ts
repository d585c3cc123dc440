import { describe, expect, it } from "bun:test";
import { resolveSettings } from "../../../src/audio";
import { planFinalPass, planSearchPass } from "../../../src/audio/plan";
import { afftdnLatency, chainGraph } from "../../../src/audio/plan-chain";
import { AppError } from "../../../src/errors";

const ctx = { input_rate: 44100, work_rate: 44100, channels: 2, pre_gain_db: 1.5 };
const graph = (s: Parameters<typeof resolveSettings>[0]) => {
  const r = resolveSettings(s);
  return chainGraph(r.modules, ctx, "0:a", "chain", r.mix);
};
const ratios = (g: string) => [
  ...g.matchAll(/acompressor=threshold=(-?[\d.]+)dB:ratio=([\d.]+):attack=([\d.]+)/g),
];

describe("intensity", () => {
  it("medium is the default and the style as written", () => {
    expect(graph({ intensity: "medium" })).toBe(graph({}));
    expect(graph({ style: "edm", intensity: "medium", mix: 100 })).toBe(graph({ style: "edm" }));
    const r = resolveSettings({});
    expect([r.intensity, r.mix, r.limiter_release_ms]).toEqual(["medium", 1, 60]);
    expect(ratios(graph({})).map((m) => [m[1], m[2], m[3]])).toEqual([
      ["-16", "1.6", "30"],
      ["-18.5", "2.2", "10"],
      ["-17", "1.55", "12"],
      ["-15", "1.35", "18"],
    ]);
  });

  it("scales compression (ratio − 1, thresholds, attack), parallel mix, exciter and limiter release", () => {
    const low = resolveSettings({ style: "edm", intensity: "low" });
    const high = resolveSettings({ style: "edm", intensity: "high" });
    const mid = resolveSettings({ style: "edm" });
    expect(low.modules.multiband.amount).toBeLessThan(mid.modules.multiband.amount);
    expect(high.modules.multiband.amount).toBeGreaterThan(mid.modules.multiband.amount);
    expect(low.modules.multiband.threshold_offset_db).toBeGreaterThan(0);
    expect(high.modules.multiband.threshold_offset_db).toBeLessThan(0);
    expect(low.modules.parallel.mix).toBeCloseTo(0.15, 5);
    expect(high.modules.parallel.mix).toBeCloseTo(0.45, 5);
    expect(low.modules.saturation.amount_db).toBeCloseTo(0.3, 5);
    expect(high.modules.saturation.amount_db).toBeCloseTo(0.9, 5);
    // A style written without saturation gets a little at high only.
    const plain = (intensity: "low" | "medium" | "high") =>
      resolveSettings({ style: "standard", intensity }).modules.saturation;
    expect([plain("low").enabled, plain("medium").enabled]).toEqual([false, false]);
    expect(plain("high")).toEqual({ enabled: true, amount_db: 0.3 });
    expect([low.limiter_release_ms, mid.limiter_release_ms, high.limiter_release_ms]).toEqual([60, 60, 30]);
    const hi = ratios(graph({ intensity: "high" }));
    expect(Number(hi[1]?.[1])).toBeLessThan(-18.5);
    expect(Number(hi[1]?.[2])).toBeGreaterThan(2.2);
    expect(Number(hi[1]?.[3])).toBeLessThan(10);
    // The limiter of the search and the final pass use the same release.
    const final = planFinalPass(high, {
      intermediate: "i",
      output: "o",
      gain_db: 0,
      ceiling_db: -1,
      rate: 44100,
      tags: [],
    }).join(" ");
    expect(final).toContain("release=30:");
    expect(planSearchPass("i", [1], -1, high.limiter_release_ms).join(" ")).toContain("release=30:");
  });

  it("never scales a value the caller set", () => {
    const r = resolveSettings({ style: "edm", intensity: "high", modules: { multiband: { amount: 1 } } });
    expect(r.modules.multiband.amount).toBe(1);
    expect(
      resolveSettings({ intensity: "low", modules: { parallel: { mix: 0.5 } } }).modules.parallel.mix,
    ).toBe(0.5);
  });

  it("rejects an unknown intensity and a mix outside 0–100 % with a readable message", () => {
    expect(() => resolveSettings({ intensity: "extreme" as "low" })).toThrow(AppError);
    try {
      resolveSettings({ mix: 120 });
    } catch (e) {
      expect((e as AppError).params.details).toContain("mix must be between 0 and 100 %");
    }
    expect(() => resolveSettings({ mix: -1 })).toThrow(AppError);
  });
});

describe("mix (dry/wet)", () => {
  it("at 100 % adds nothing to the graph", () => {
    expect(graph({ mix: 100 })).not.toMatch(/asplit|weights/);
  });
  it("splits after gain staging and high-pass; the dry path shares the crossover's allpass", () => {
    const g = graph({ mix: 40 });
    expect(g).toMatch(
      /^\[0:a\]asetnsamples=n=4410:p=0,aformat=sample_fmts=flt,volume=1\.5dB,highpass=f=30:p=2,highpass=f=30:p=2,asplit=2\[wetin\]\[dryin\]/,
    );
    expect(g).toContain("[dryin]acrossover=split=214|2230|10000:order=4th[ap0][ap1][ap2][ap3]");
    expect(g).toContain("[ap0][ap1][ap2][ap3]amix=inputs=4:normalize=0[dry]");
    expect(g).toContain("[wet][dry]amix=inputs=2:weights='0.4 0.6':normalize=0[chain]");
    // The processing itself (EQ, compressors) is on the wet side only.
    expect(g.indexOf("equalizer=")).toBeGreaterThan(g.indexOf("[wetin]"));
  });
  it("without the multiband the dry path is a plain copy", () => {
    expect(graph({ mix: 0, modules: { multiband: { enabled: false } } })).toContain("[dryin]anull[dry]");
  });
});

describe("denoise latency", () => {
  it("compensates afftdn's half-window delay so the chain stays aligned and the same length", () => {
    expect([afftdnLatency(44100), afftdnLatency(48000), afftdnLatency(22050)]).toEqual([1102, 1200, 550]);
    expect(graph({ modules: { denoise: { enabled: true } } })).toContain(
      "apad=pad_len=1102,afftdn=nr=6:nf=-60:tn=1,atrim=start_sample=1102,asetpts=PTS-STARTPTS",
    );
  });
});
