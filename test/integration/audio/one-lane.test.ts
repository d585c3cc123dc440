// A one-lane job (MM_JOB_PROCESSES=1, README "Scaling out") uses one core at a time: no two ffmpeg runs
// overlap, and no stage has Bun fold samples while ffmpeg produces them (stdout, a FIFO, a growing file):
// the chain's limiter model and the lossless render's meter read the written files afterwards. The result is
// the same master as the two-lane flow's (which streams), measured by ffmpeg on the written files.

import { afterAll, beforeAll, expect, it } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { type MasterReport, master } from "../../../src/audio";
import { observeRuns, type RunRecord } from "../../../src/audio/ffmpeg";
import { MIN_DURATION_S } from "../../../src/audio/flow";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";

type Run = RunRecord & { fifo: boolean };

let dir = "";
let input = "";
beforeAll(async () => {
  dir = await tempDir("mm-one-lane-");
  input = await makeMusic(dir, { durationS: 6 });
});
afterAll(() => cleanup(dir));

/** Masters `input` with `processes` lanes, recording every child (and whether it wrote into a FIFO). */
async function masterWith(processes: 1 | 2): Promise<{ report: MasterReport; runs: Run[]; out: string }> {
  const out = join(dir, `out-${processes}.flac`);
  const runs: Run[] = [];
  // Called right after the child exits, before the flow removes its FIFO: the path is still there.
  observeRuns((r) =>
    runs.push({ ...r, fifo: r.args.some((a) => a.startsWith("/") && existsSync(a) && statSync(a).isFIFO()) }),
  );
  try {
    const report = await master(input, out, { format: "flac24" }, { processes });
    return { report, runs, out };
  } finally {
    observeRuns(null);
  }
}

it("one lane: no two ffmpeg runs at once, nothing streamed into Bun, the same master as two lanes", async () => {
  expect(6).toBeGreaterThan(MIN_DURATION_S); // long enough for the two-lane (concurrent) flow
  const one = await masterWith(1);
  const two = await masterWith(2);

  // The two-lane flow really ran side by side (the render into a FIFO; the chain's intermediate is folded
  // as it is written, which a run record cannot show): the comparison is of both paths.
  expect(two.runs.filter((r) => r.streamed || r.fifo).length).toBeGreaterThanOrEqual(1);

  const ffmpegRuns = one.runs.filter((r) => r.tool.endsWith("ffmpeg"));
  expect(ffmpegRuns.length).toBeGreaterThanOrEqual(2); // chain + render at least
  // Named by their last argument (the output): the chain stdout, the render FIFO today.
  expect(one.runs.filter((r) => r.streamed || r.fifo).map((r) => r.args.at(-1))).toEqual([]);
  const byStart = [...one.runs].sort((a, b) => a.started_ms - b.started_ms);
  for (let i = 1; i < byStart.length; i++) {
    const prev = byStart[i - 1] as Run;
    const cur = byStart[i] as Run;
    expect({ run: cur.args.at(-1), overlaps: cur.started_ms < prev.ended_ms }).toEqual({
      run: cur.args.at(-1),
      overlaps: false,
    });
  }

  // Same decisions and the same measurements (the meter saw the same samples).
  expect(one.report.before).toEqual(two.report.before);
  expect(one.report.final_gain_db).toBe(two.report.final_gain_db);
  expect(one.report.attempts).toBe(two.report.attempts);
  for (const k of ["integrated_lufs", "true_peak_dbtp", "sample_peak_dbfs", "lra_lu", "rms_dbfs"] as const) {
    expect(one.report.after[k] as number).toBeCloseTo(two.report.after[k] as number, 3);
  }
  expect(one.report.within_spec).toBe(true);
  const [m1, m2] = await Promise.all([measure(one.out), measure(two.out)]);
  expect(m1.lufs).toBeCloseTo(m2.lufs, 2);
  expect(m1.tp).toBeCloseTo(m2.tp, 2);
  expect(m1.samples).toBe(m2.samples);
  expect(Math.abs(m1.lufs - one.report.target_lufs)).toBeLessThanOrEqual(0.3);
}, 120_000);
