// The pure album planner and report (src/audio/album.ts): shared gain staging from the loudest track,
// targets that keep the relative levels, silent tracks left out, and the report's arithmetic.

import { describe, expect, it } from "bun:test";
import { type Analysis, albumReport, planAlbum } from "../../../src/audio";

describe("planAlbum", () => {
  it("stages every track like the loudest and keeps each one's distance to it", () => {
    const plan = planAlbum(
      [
        { id: "a", integrated_lufs: -20, duration_s: 180 },
        { id: "b", integrated_lufs: -12.5, duration_s: 200 },
        { id: "c", integrated_lufs: -31, duration_s: 90 },
        { id: "s", integrated_lufs: null, duration_s: 10 },
      ],
      { target_lufs: -14, ceiling_dbtp: -1, style: "standard" },
    );
    expect(plan.loudest).toBe("b");
    expect(plan.pre_gain_db).toBe(-5.5); // −18 − (−12.5)
    expect(plan.tracks.map((t) => [t.id, t.offset_lu, t.target_lufs, t.pre_gain_db])).toEqual([
      ["a", -7.5, -21.5, -5.5],
      ["b", 0, -14, -5.5],
      ["c", -18.5, -32.5, -5.5],
    ]);
    expect(plan.unmeasured).toEqual(["s"]);
  });

  it("clamps the shared staging to ±20 dB like a single master", () => {
    const plan = planAlbum(
      [
        { id: "a", integrated_lufs: -45, duration_s: 5 },
        { id: "b", integrated_lufs: -50, duration_s: 5 },
      ],
      { target_lufs: -14, ceiling_dbtp: -1, style: "standard" },
    );
    expect(plan.pre_gain_db).toBe(20);
    expect(plan.tracks[1]?.target_lufs).toBe(-19);
  });
});

const an = (lufs: number | null, tp: number | null, duration = 60): Analysis =>
  ({ integrated_lufs: lufs, true_peak_dbtp: tp, lra_lu: 5, duration_s: duration }) as Analysis;

describe("albumReport", () => {
  const o = { target_lufs: -14, ceiling_dbtp: -1, tolerance_lufs: 0.3 };
  it("measures relative levels against the loudest input and the loudest delivered track", () => {
    const r = albumReport(o, [
      { name: "one", status: "done", before: an(-18, -3), after: an(-14.1, -1.2) },
      { name: "two", status: "done", before: an(-24, -9), after: an(-19.8, -5) },
    ]);
    expect(r.tracks.map((t) => [t.offset_before_lu, t.offset_after_lu, t.relative_error_lu])).toEqual([
      [0, 0, 0],
      [-6, -5.7, 0.3],
    ]);
    expect(r.loudest_error_lu).toBe(-0.1);
    expect(r.max_relative_error_lu).toBe(0.3);
    expect(r.max_true_peak_dbtp).toBe(-1.2);
    expect(r.within_spec).toBe(true);
    // Equal lengths, −14.1 and −19.8: 10·log10((10^−1.41 + 10^−1.98) / 2) = −16.08.
    expect(r.album_lufs_after).toBeCloseTo(-16.08, 2);
  });

  it("is out of spec when a level moved more than 0.5 LU, a peak is over, or a track is missing", () => {
    const base = { name: "one", status: "done", before: an(-18, -3), after: an(-14, -1.2) };
    expect(
      albumReport(o, [base, { name: "two", status: "done", before: an(-24, -9), after: an(-19.4, -5) }])
        .within_spec,
    ).toBe(false);
    expect(
      albumReport(o, [base, { name: "two", status: "done", before: an(-24, -9), after: an(-20, -0.9) }])
        .within_spec,
    ).toBe(false);
    const failed = albumReport(o, [
      base,
      { name: "two", status: "failed", before: an(-24, -9), after: null },
    ]);
    expect(failed.within_spec).toBe(false);
    expect(failed.tracks[1]?.relative_error_lu).toBeNull();
  });
});
