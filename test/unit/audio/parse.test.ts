import { describe, expect, it } from "bun:test";
import { parseAstats, parseEburFrame, parseEburSummaries } from "../../../src/audio/ebur128-parse";
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
