import { describe, expect, it } from "bun:test";
import { resolveSettings } from "../../../src/audio";
import { chainGraph } from "../../../src/audio/plan-chain";
import { transientShaper } from "../../../src/audio/plan-transient";

const ctx = { input_rate: 44100, work_rate: 44100, channels: 2, pre_gain_db: 0 };
const graph = (s: Parameters<typeof resolveSettings>[0], c = ctx) => {
  const r = resolveSettings(s);
  return chainGraph(r.modules, c, "0:a", "chain", r.mix);
};

describe("transient shaper graph", () => {
  it("is off unless an attack or sustain amount is set", () => {
    expect(graph({})).not.toContain("aeval");
    expect(graph({ modules: { transient: { enabled: true } } })).not.toContain("aeval");
    expect(resolveSettings({ modules: { transient: { attack_db: 3 } } }).modules.transient.enabled).toBe(
      true,
    );
  });
  it("runs after the EQ and before the multiband, on the wet side of a mix", () => {
    const g = graph({ mix: 50, modules: { transient: { attack_db: 4, sustain_db: -2 } } });
    expect(g.indexOf("equalizer=")).toBeLessThan(g.indexOf("[tsin]asplit=2[tsx][tsd]"));
    expect(g.indexOf("[tsout]")).toBeLessThan(g.indexOf("acrossover"));
    expect(g.indexOf("[wetin]")).toBeLessThan(g.indexOf("[tsin]"));
    expect(g).toContain("4*clip((ld(0)-1.5)/4,0,1)+-2*clip((-ld(0)-1.5)/3,0,1)");
  });
  it("links the detector over both channels and handles mono", () => {
    const st = transientShaper({ attack_db: 6, sustain_db: 0 }, 2, "a", "b");
    expect(st).toContain("pow((val(0)+val(1))/2,2)");
    expect(st).toContain("map=0.FL-FL|0.FR-FR|1.FC-FC|2.FC-BC");
    expect(st.split("val(0)*pow").length).toBe(2);
    const mono = graph({ modules: { transient: { attack_db: 6 } } }, { ...ctx, channels: 1 });
    expect(mono).toContain("val(0)*val(0)");
    expect(mono).toContain("aeval=exprs='st(0,10*log((val(1)+1e-12)/(val(2)+1e-12))/log(10))*0+val(0)*");
    expect(mono).toContain("channel_layouts=mono[tsout]");
  });
  it("rejects amounts outside ±12 dB", () => {
    expect(() => resolveSettings({ modules: { transient: { attack_db: 13 } } })).toThrow();
  });
});
