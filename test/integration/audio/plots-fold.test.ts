// The result page's plots folded by the master's own passes (plots-run.ts PassPlots): the input's from
// its analysis, the delivered file's from the verify of the written file. They must be the pictures
// computePlots draws from its own decode of each file (ffmpeg's ebur128 frame lines for the timeline),
// on one lane and two, for WAV, FLAC and MP3 — and the job engine then runs no decode of its own for
// them (observed ffmpeg/ffprobe runs). A shape the JS meter does not fold (6 channels) keeps the decode.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { computePlots, master, type PassPlots, type TrackPlots } from "../../../src/audio";
import { observeRuns, type RunRecord } from "../../../src/audio/ffmpeg";
import { audioEngine } from "../../../src/jobs/engine";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";

let dir = "";
let input = "";
let mono48 = "";
beforeAll(async () => {
  dir = await tempDir("mm-plots-fold-");
  // 12 s: quiet first third, then full level (a timeline and an envelope with something to follow).
  input = await makeMusic(dir, { durationS: 12 });
  // Decoded by ffmpeg, not read by JS: a FLAC, mono, at 48 kHz.
  mono48 = await makeMusic(dir, { durationS: 12, rate: 48000, channels: 1, codec: "flac" });
});
afterAll(() => cleanup(dir));

/** Largest |a − b| over two series of numbers or nulls (null only where both are null). */
function maxDiff(a: (number | null)[], b: (number | null)[]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? null;
    expect(x === null).toBe(y === null);
    if (x !== null && y !== null) d = Math.max(d, Math.abs(x - y));
  });
  return d;
}

/** The folded plots draw the same picture as computePlots' decode of the same file. */
function expectSamePicture(folded: TrackPlots | undefined, decoded: TrackPlots): void {
  if (!folded) throw new Error("the master's passes folded no plots");
  expect(folded.duration_s).toBeCloseTo(decoded.duration_s, 2);
  expect(folded.waveform.columns).toBe(decoded.waveform.columns);
  expect(folded.waveform.step_s).toBeCloseTo(decoded.waveform.step_s, 6);
  expect(maxDiff(folded.waveform.min, decoded.waveform.min)).toBeLessThanOrEqual(1);
  expect(maxDiff(folded.waveform.max, decoded.waveform.max)).toBeLessThanOrEqual(1);
  expect(folded.loudness.step_s).toBe(decoded.loudness.step_s);
  expect(folded.loudness.short_term_lufs.filter((v) => v !== null).length).toBeGreaterThan(80);
  // JS's K-weighting vs ebur128's, both rounded to 0.1.
  expect(maxDiff(folded.loudness.short_term_lufs, decoded.loudness.short_term_lufs)).toBeLessThanOrEqual(0.1);
  expect(folded.spectrum.hz).toEqual(decoded.spectrum.hz);
  expect(maxDiff(folded.spectrum.db, decoded.spectrum.db)).toBeLessThanOrEqual(0.1);
}

describe("plots folded by the master's passes", () => {
  for (const [format, processes, source] of [
    ["wav24", 2, "wav"],
    ["wav16", 1, "wav"],
    ["flac24", 2, "wav"],
    ["flac24", 1, "wav"],
    ["mp3", 2, "wav"],
    ["wav24", 2, "mono48"],
    ["mp3", 1, "mono48"],
  ] as const) {
    it(`${source} → ${format}, ${processes} lane(s): the same pictures as a decode of the input and of the written file`, async () => {
      const from = source === "wav" ? input : mono48;
      const ext = format.startsWith("wav") ? "wav" : format.slice(0, 4);
      const out = join(dir, `out-${source}-${format}-${processes}.${ext}`);
      const plots: PassPlots = {};
      await master(from, out, { format, target_lufs: -14 }, { processes, plots });
      expect(plots.input?.duration_s).toBeCloseTo(12, 1);
      expectSamePicture(plots.before, await computePlots(from));
      expectSamePicture(plots.after, await computePlots(out));
    }, 120_000);
  }

  it("the job engine decodes neither file again for its plots; 6 channels keep the input's decode", async () => {
    const surround = join(dir, "surround.wav");
    const p = Bun.spawn(
      [
        "ffmpeg",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "anoisesrc=d=8:a=0.1:c=pink:r=48000",
        "-ac",
        "6",
        "-y",
        surround,
      ],
      { stdout: "ignore", stderr: "inherit" },
    );
    expect(await p.exited).toBe(0);
    const engineRun = async (file: string, name: string) => {
      const runs: RunRecord[] = [];
      observeRuns((r) => runs.push(r));
      try {
        const outcome = await audioEngine.master(
          file,
          join(dir, name),
          { format: "wav24" },
          {
            signal: new AbortController().signal,
            onProgress: () => {},
            workDir: dir,
            timeoutMs: 120_000,
            processes: 2,
          },
        );
        return { outcome, runs };
      } finally {
        observeRuns(null);
      }
    };
    const plotDecodes = (runs: RunRecord[]) =>
      runs.filter((r) => r.args.some((a) => a.includes("ebur128@plot")));
    const probesOf = (runs: RunRecord[], file: string) =>
      runs.filter((r) => r.tool.endsWith("ffprobe") && r.args.includes(file)).length;

    const stereo = await engineRun(input, "job-stereo.wav");
    expect(stereo.outcome.plots && "before" in stereo.outcome.plots).toBe(true);
    expect(plotDecodes(stereo.runs)).toEqual([]);
    // The master's probe serves the plots and the listening copy.
    expect(probesOf(stereo.runs, input)).toBe(1);

    const six = await engineRun(surround, "job-six.wav");
    const sixPlots = six.outcome.plots;
    if (!sixPlots || !("before" in sixPlots)) throw new Error("no plots for the 6-channel master");
    expect(sixPlots.before.waveform.columns).toBeGreaterThan(900);
    // The input (6 channels, downmixed for its picture) is decoded for its plots; the stereo master is not.
    expect(plotDecodes(six.runs).map((r) => r.args[r.args.indexOf("-i") + 1])).toEqual([surround]);
    expect(probesOf(six.runs, surround)).toBe(1);
  }, 180_000);
});
