import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { configureAudioTools, FfmpegError, ffmpegVersion, runFfmpeg } from "../../../src/audio";
import { AppError } from "../../../src/errors";
import { cleanup, tempDir } from "../../fixtures/audio";
import { processesMatching } from "../../fixtures/processes";
import { ENDLESS_NOISE_INPUT } from "../../fixtures/slow-ffmpeg";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

// Endless noise read in real time: this run never ends by itself, however fast the machine, so the
// abort and the timeout below are the only way it can stop (and a run that "finished" fails the test).
const endless = (out: string) => [...ENDLESS_NOISE_INPUT, "-c:a", "pcm_s16le", "-y", out];
// If the code under test never stopped it, this stops the endless ffmpeg anyway (as "cancelled", which
// fails the timeout test) instead of leaving it writing to disk after the test gave up.
const safetyNet = () => AbortSignal.timeout(60_000);

describe("runFfmpeg", () => {
  it("reports progress as fractions of the known duration, ending at 1", async () => {
    const seen: number[] = [];
    const out = join(dir, "p.wav");
    await runFfmpeg(["-f", "lavfi", "-i", "sine=d=5", "-y", out], {
      durationS: 5,
      onProgress: (f) => seen.push(f),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });

  it("kills ffmpeg on abort and removes the partial output", async () => {
    const out = join(dir, "abort.wav");
    const ac = new AbortController();
    let wrote = false;
    const p = runFfmpeg(endless(out), {
      signal: AbortSignal.any([ac.signal, safetyNet()]),
      outputs: [out],
      durationS: 60,
      // Abort once ffmpeg has really started writing, so there is a partial file to clean up.
      onProgress: (f) => {
        if (f > 0 && existsSync(out)) {
          wrote = true;
          ac.abort();
        }
      },
    });
    const err = await p.catch((e: unknown) => e);
    expect(wrote).toBe(true);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("cancelled");
    expect(existsSync(out)).toBe(false);
    expect(processesMatching(out)).toEqual([]);
  });

  it("times out with AppError timeout and removes the partial output", async () => {
    const out = join(dir, "slow.wav");
    const err = await runFfmpeg(endless(out), {
      timeoutMs: 300,
      signal: safetyNet(),
      outputs: [out],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("timeout");
    expect(existsSync(out)).toBe(false);
    expect(processesMatching(out)).toEqual([]);
  });

  it("refuses an already aborted signal as cancelled without writing anything", async () => {
    const out = join(dir, "never.wav");
    const ac = new AbortController();
    ac.abort();
    const err = await runFfmpeg(endless(out), { signal: ac.signal, outputs: [out] }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("cancelled");
    expect(existsSync(out)).toBe(false);
  });

  it("fails with ffmpeg_failed carrying the stderr tail", async () => {
    const err = (await runFfmpeg(["-i", join(dir, "missing.wav"), "-f", "null", "-"]).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err.code).toBe("ffmpeg_failed");
    expect(err.cause).toBeInstanceOf(FfmpegError);
    expect((err.cause as FfmpegError).stderrTail).toContain("No such file or directory");
  });

  it("reports ffmpeg_missing and a null version when the executable does not exist", async () => {
    configureAudioTools({ ffmpeg: "/nonexistent/ffmpeg", ffprobe: "ffprobe" });
    try {
      expect(await ffmpegVersion()).toBeNull();
      const err = (await runFfmpeg(["-version"]).catch((e: unknown) => e)) as AppError;
      expect(err.code).toBe("ffmpeg_missing");
    } finally {
      configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
    }
    expect(await ffmpegVersion()).toMatch(/^\d+\.\d+/);
  });
});
