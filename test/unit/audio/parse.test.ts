import { describe, expect, it } from "bun:test";
import {
  mergeVolumedetect,
  parseAstats,
  parseEburFrame,
  parseEburSummaries,
  parseVolumedetect,
} from "../../../src/audio/ebur128-parse";
import { loudestWindow, solveGain } from "../../../src/audio/gain";

const summary = (name: string, i: string, tp: string) => `[ebur128@${name} @ 0x55] Summary:

  Integrated loudness:
    I:         ${i} LUFS
    Threshold: -30.0 LUFS

  Loudness range:
    LRA:         6.1 LU

  True peak:
    Peak:      ${tp} dBFS`;

describe("parseEburSummaries", () => {
  it("keeps the LAST summary per instance (ffmpeg prints a bogus −70 first)", () => {
    const s = parseEburSummaries(
      [
        summary("pre", "-70.0", "-inf"),
        "[out @ 0x1] other",
        summary("pre", "-14.2", "-1.3"),
        summary("c1", "-9.0", "-1.0"),
      ].join("\n"),
    );
    expect(s.get("pre")).toEqual({
      integrated_lufs: -14.2,
      lra_lu: 6.1,
      sample_peak_dbfs: null,
      true_peak_dbfs: -1.3,
    });
    expect(s.get("c1")?.integrated_lufs).toBe(-9);
  });
  it("parses framelog lines and astats blocks", () => {
    expect(
      parseEburFrame(
        "[ebur128@in @ 0x5] t: 1.09998    TARGET:-23 LUFS    M: -20.0 S:-120.7     I: -20.0 LUFS",
      ),
    ).toEqual({ name: "in", frame: { t: 1.09998, m: -20, s: -120.7 } });
    const a = parseAstats(
      [
        "[astats@lr @ 0x1] Channel: 1",
        "[astats@lr @ 0x1] DC offset: 0.001000",
        "[astats@lr @ 0x1] Overall",
        "[astats@lr @ 0x1] Peak level dB: -inf",
      ].join("\n"),
    );
    expect(a.get("lr")?.channels[0]?.["DC offset"]).toBe(0.001);
    expect(a.get("lr")?.overall["Peak level dB"]).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("volumedetect reports", () => {
  const report = (name: string, n: number, mean: string, max: string) =>
    [
      `[volumedetect@${name} @ 0x5611f320a300] n_samples: ${n}`,
      `[volumedetect@${name} @ 0x5611f320a300] mean_volume: ${mean} dB`,
      `[volumedetect@${name} @ 0x5611f320a300] max_volume: ${max} dB`,
      `[volumedetect@${name} @ 0x5611f320a300] histogram_3db: 12`,
    ].join("\n");
  it("parses mean, max and the sample count of every named instance", () => {
    const m = parseVolumedetect(
      `${report("b0i", 88200, "-20.5", "-3.0")}\n${report("b0o", 88200, "-21.0", "-4.0")}`,
    );
    expect(m.get("b0i")).toEqual({ mean_db: -20.5, max_db: -3, n: 88200 });
    expect(m.get("b0o")).toEqual({ mean_db: -21, max_db: -4, n: 88200 });
  });
  it("merges two runs over disjoint parts by mean power weighted with samples, and the larger max", () => {
    const a = parseVolumedetect(report("b0i", 300, "-20.0", "-3.0"));
    const b = parseVolumedetect(
      `${report("b0i", 100, "-10.0", "-6.0")}\n${report("b1i", 50, "-30.0", "-9.0")}`,
    );
    const m = mergeVolumedetect(a, b);
    // (300·0.01 + 100·0.1) / 400 = 0.0325 → −14.88 dB: not the −17.5 dB a mean of dB would give.
    expect(m.get("b0i")).toEqual({ mean_db: -14.88, max_db: -3, n: 400 });
    expect(m.get("b1i")).toEqual({ mean_db: -30, max_db: -9, n: 50 });
  });
});

describe("solveGain", () => {
  const pts = [
    { gain_db: 0, lufs: -16 },
    { gain_db: 2, lufs: -14.4 },
    { gain_db: 4, lufs: -13.2 },
  ];
  it("interpolates between the bracketing pair", () =>
    expect(solveGain(pts, -14)).toBeCloseTo(2 + 0.4 / 0.6, 5));
  it("is linear below the grid", () => expect(solveGain(pts, -18)).toBe(-2));
  it("extrapolates above the grid by at most 6 dB", () => expect(solveGain(pts, -5)).toBe(10));
});

describe("loudestWindow", () => {
  it("finds the loudest section", () => {
    const m = [-30, -30, -30, -10, -10, -10, -30, -30];
    expect(loudestWindow(m, 3, 8)).toBe(3);
    expect(loudestWindow(m, 30, 8)).toBe(0);
  });
});
