// Issue 15 point 9, the open question: for WAV and FLAC the final render meters the samples it writes in
// the same process (plan.ts `meter`) instead of decoding the delivered file. Proof that the report's own
// figures ARE a measurement of the delivered file: they equal the independent fixture meter (ebur128 on
// the file) and a separate engine analysis of the written file, field by field.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { analyze, type MasterSettings, master } from "../../../src/audio";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";

let dir = "";
let input = "";
let mono = "";
beforeAll(async () => {
  dir = await tempDir();
  [input, mono] = await Promise.all([
    makeMusic(dir, { durationS: 6 }),
    makeMusic(dir, { durationS: 6, channels: 1, name: "mono.wav" }),
  ]);
});
afterAll(() => cleanup(dir));

const cases: { name: string; settings: MasterSettings; ext: string; mono?: boolean }[] = [
  { name: "wav16", settings: { format: "wav16" }, ext: "wav" },
  { name: "wav24", settings: { format: "wav24" }, ext: "wav" },
  { name: "flac24", settings: { format: "flac24" }, ext: "flac" },
  { name: "flac16", settings: { format: "flac16", style: "edm" }, ext: "flac" },
  { name: "wav24-mono", settings: { format: "wav24" }, ext: "wav", mono: true },
];

describe("the lossless report's figures equal a measurement of the delivered file", () => {
  for (const c of cases) {
    it.concurrent(`${c.name}: I, LRA, TP, sample peak as ebur128 reads the file; every other field as analyze(file)`, async () => {
      const out = join(dir, `${c.name}.${c.ext}`);
      const rep = await master(c.mono ? mono : input, out, c.settings);
      const [m, file] = await Promise.all([measure(out), analyze(out)]);
      const a = rep.after;
      expect([a.integrated_lufs, a.lra_lu, a.true_peak_dbtp]).toEqual([m.lufs, m.lra, m.tp]);
      expect(a.sample_peak_dbfs).toBeCloseTo(m.peak, 1);
      const { changes: _changes, ...reported } = a;
      expect(reported).toEqual(file);
    }, 120_000);
  }
});
