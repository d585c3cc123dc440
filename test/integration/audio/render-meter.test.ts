// The lossless final render is metered from a FIFO (render-meter.ts; a WAV render from its own file as it
// grows): Bun reads the samples the render writes and meters them with the JS meter, beside the render. Cancelled mid-render, no ffmpeg
// is left running, and neither the partial output nor the FIFO is left beside the output; a render that
// dies before it opens the FIFO does not leave the reader waiting; and the metered values are those of
// the written file analysed afterwards.

import { afterAll, beforeAll, expect, it } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, master, probe } from "../../../src/audio";
import { meteredRender } from "../../../src/audio/render-meter";
import type { AppError } from "../../../src/errors";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { processesMatching } from "../../fixtures/processes";
import { waitFor } from "../../fixtures/wait";

let dir = "";
let input = "";
beforeAll(async () => {
  dir = await tempDir("mm-render-meter-");
  input = await makeMusic(dir, { durationS: 20 });
});
afterAll(() => cleanup(dir));

// FLAC renders meter through the FIFO; WAV renders are followed on disk (wav-follow.ts): both cancel cleanly.
for (const [ext, format, marker] of [
  ["flac", "flac24", ".meter"],
  ["wav", "wav24", ".part"],
] as const) {
  it(`a cancel during the metered ${format} render stops the render, leaving no ffmpeg, no partial and no FIFO`, async () => {
    const out = join(dir, `out.${ext}`);
    const ac = new AbortController();
    let seen = 0;
    const err = await master(
      input,
      out,
      { format },
      {
        signal: ac.signal,
        onProgress: (_f, stage) => {
          if (stage !== "render" || ac.signal.aborted) return;
          // Abort once the render process is up (its command line names the FIFO or the partial it writes).
          seen = processesMatching(dir, "alimiter", marker).length;
          if (seen > 0) ac.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("cancelled");
    expect(seen).toBe(1);
    await waitFor(() => processesMatching(dir, "ffmpeg").length === 0, {
      what: "no ffmpeg left on this input",
    });
    expect(readdirSync(dir).filter((f) => f.startsWith(`.out.${ext}`))).toEqual([]);
  }, 120_000);
}

it("a render that fails before opening the FIFO fails the call instead of leaving the reader waiting", async () => {
  const out = join(dir, "never.wav");
  const shape = await probe(input);
  const err = await meteredRender(
    (fifo) => ["-i", join(dir, "missing.wav"), "-c:a", "pcm_f32le", out, "-f", "f32le", fifo],
    shape,
    { outputs: [out] },
  ).catch((e: unknown) => e);
  expect((err as AppError).code).toBe("ffmpeg_failed");
  expect(existsSync(`${out}.meter`)).toBe(false);
}, 60_000);

it("the FIFO's analysis is the written file's analysis", async () => {
  const out = join(dir, "copy.wav");
  const shape = await probe(input);
  // A stand-in for the final pass: a gain change, written as 24-bit and teed as float into the FIFO.
  const measured = await meteredRender(
    (fifo) => [
      ...[
        "-i",
        input,
        "-filter_complex",
        "[0:a]volume=4dB,aformat=sample_fmts=s32,asplit=2[out][mv];[mv]aformat=sample_fmts=flt[m]",
      ],
      ...[
        "-map",
        "[out]",
        "-c:a",
        "pcm_s24le",
        "-y",
        out,
        "-map",
        "[m]",
        "-c:a",
        "pcm_f32le",
        "-f",
        "f32le",
        "-y",
        fifo,
      ],
    ],
    shape,
    { outputs: [out] },
  );
  const written = await analyze(out);
  expect(measured.integrated_lufs).not.toBeNull();
  const pick = (a: typeof written) => ({
    i: a.integrated_lufs,
    lra: a.lra_lu,
    tp: a.true_peak_dbtp,
    peak: a.sample_peak_dbfs,
    rms: a.rms_dbfs,
    timeline: a.timeline,
    spectrum: a.spectrum,
  });
  expect(pick(measured)).toEqual(pick(written));
  expect(measured.integrated_lufs as number).toBeGreaterThan(
    (await analyze(input)).integrated_lufs as number,
  );
}, 60_000);
