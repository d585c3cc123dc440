// The decode budget: a pass stops as soon as its output goes past the bytes the probe allowed, whatever
// the input's header claimed. Sources are ENDLESS lavfi generators, so the only way any of these runs
// can end is the budget: no machine is fast or slow enough to change the outcome.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, master, probe, runFfmpeg } from "../../../src/audio";
import { type DecodeBudget, pcmBudget } from "../../../src/audio/budget";
import { runFfmpegStream } from "../../../src/audio/ffmpeg";
import { AppError } from "../../../src/errors";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { makeForgedFlac, makeUnheadedVbrMp3 } from "../../fixtures/hostile";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

const endless = ["-f", "lavfi", "-i", "anoisesrc=r=48000:amplitude=0.3"];
const MB = 1 << 20;
const budget: DecodeBudget = { bytes: 2 * MB, claimed_s: 1 };

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => new Error("expected the run to fail"),
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw err;
  return err;
}

describe("decode budget in the runner", () => {
  it("stops a streamed decode past the budget, handing the caller no byte beyond it", async () => {
    let seen = 0;
    const err = await failure(
      runFfmpegStream(
        [...endless, "-ac", "2", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
        (c) => {
          seen += c.length;
        },
        { budget },
      ),
    );
    expect(err.code).toBe("audio_decodes_longer");
    expect(err.status).toBe(422);
    expect(err.params).toEqual({ claimed_s: 1, limit_mb: 2 });
    expect(seen).toBeLessThanOrEqual(budget.bytes);
    expect(seen).toBeGreaterThan(0);
  });

  it("stops a decode into a file at the budget and removes the file", async () => {
    const out = join(dir, "intermediate.wav");
    const err = await failure(
      runFfmpeg([...endless, "-c:a", "pcm_f32le", "-f", "wav", "-y", out], { budget, outputs: [out] }),
    );
    expect(err.code).toBe("audio_decodes_longer");
    expect(existsSync(out)).toBe(false);
  });

  it("leaves a run within its budget alone", async () => {
    const out = join(dir, "ok.wav");
    // 1 s of stereo float at 48 kHz is 384 000 bytes, well inside 2 MB.
    await runFfmpeg(["-f", "lavfi", "-i", "sine=r=48000:d=1", "-ac", "2", "-c:a", "pcm_f32le", "-y", out], {
      budget,
      outputs: [out],
    });
    expect(Bun.file(out).size).toBeGreaterThan(384_000);
  });

  it("refuses a budget on a file run whose last argument is not a listed output", async () => {
    await expect(runFfmpeg([...endless, "-f", "null", "-"], { budget })).rejects.toThrow(
      /must end with an output/,
    );
  });

  it("sizes a budget from the probed duration, rate and layout (float32, with slack)", () => {
    const b = pcmBudget({ duration_s: 60 }, 48000, 2);
    // (60 s · 1.1 + 10 s) · 48 000 frames · 2 channels · 4 bytes
    expect(b.bytes).toBe(76 * 48000 * 8);
    expect(b.claimed_s).toBe(60);
  });
});

describe("a FLAC whose header claims 2 s but carries 10 min of frames", () => {
  let forged = "";
  beforeAll(async () => {
    forged = await makeForgedFlac(dir, { claimedS: 2, actualS: 600 });
  }, 60_000);

  it("probes as 2 s (what upload validation sees)", async () => {
    expect((await probe(forged)).duration_s).toBeCloseTo(2, 1);
  });

  it("analysis stops at the budget instead of decoding 10 min", async () => {
    const err = await failure(analyze(forged));
    expect(err.code).toBe("audio_decodes_longer");
    expect(err.params.claimed_s).toBe(2);
  });

  it("mastering fails the same way and leaves no intermediate or partial file", async () => {
    const work = join(dir, "work");
    const outDir = join(dir, "out");
    await Bun.write(join(work, ".keep"), "");
    await Bun.write(join(outDir, ".keep"), "");
    for (const processes of [1, 2] as const) {
      const err = await failure(
        master(
          forged,
          join(outDir, "x.wav"),
          { style: "edm", format: "wav24" },
          { workDir: work, processes },
        ),
      );
      expect(err.code).toBe("audio_decodes_longer");
    }
    expect(readdirSync(work)).toEqual([".keep"]);
    expect(readdirSync(outDir)).toEqual([".keep"]);
  });

  it("an honest file of the same length masters within the budget", async () => {
    const honest = await makeMusic(dir, { durationS: 3, codec: "flac", name: "honest.flac" });
    const rep = await master(honest, join(dir, "honest-out.wav"), { style: "edm", format: "wav24" });
    expect(rep.within_spec).toBe(true);
  });
});

describe("a VBR MP3 without a Xing frame (ffprobe only estimates its duration)", () => {
  it("probes to its real length by reading its packets, so analysis stays within the budget", async () => {
    const mp3 = await makeUnheadedVbrMp3(dir, { loudS: 10, totalS: 120 });
    // What ffprobe alone says: the budget from this would stop the decode at ~45 s of 120.
    const r = Bun.spawnSync([
      process.env.MM_FFPROBE ?? "ffprobe",
      "-v",
      "error",
      "-show_entries",
      "format=duration",
      "-of",
      "csv=p=0",
      mp3,
    ]);
    expect(Number(r.stdout.toString())).toBeLessThan(60);
    expect((await probe(mp3)).duration_s).toBeCloseTo(120, 0);
    const a = await analyze(mp3);
    expect(a.duration_s).toBeCloseTo(120, 0);
    expect(a.integrated_lufs).not.toBeNull();
  }, 60_000);
});
