import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { configureAudioTools, FfmpegError, ffmpegVersion, runFfmpeg } from "../../../src/audio";
import { AppError } from "../../../src/errors";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

// 60 s of generated noise through a slow-ish filter: long enough to abort or time out mid-run.
const slow = (out: string) => [
  "-f",
  "lavfi",
  "-i",
  "anoisesrc=r=48000:d=60",
  "-af",
  "afftdn",
  "-c:a",
  "pcm_s16le",
  "-y",
  out,
];

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
    const p = runFfmpeg(slow(out), {
      signal: ac.signal,
      outputs: [out],
      durationS: 60,
      onProgress: () => ac.abort(),
    });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("cancelled");
    expect(existsSync(out)).toBe(false);
  });

  it("times out with AppError timeout and removes the partial output", async () => {
    const out = join(dir, "slow.wav");
    const err = await runFfmpeg(slow(out), { timeoutMs: 300, outputs: [out] }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("timeout");
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
