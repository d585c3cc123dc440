import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { analyze, probe } from "../../../src/audio";
import type { AppError } from "../../../src/errors";
import { cleanup, makeMusic, makePinkNoise, makeSilence, makeSine, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

describe("analyze (EBU Tech 3341-style signals)", () => {
  it("reads a stereo 1 kHz sine at −23 dBFS per channel as −23.0 ±0.1 LUFS", async () => {
    const a = await analyze(await makeSine(dir, { dbfs: -23, durationS: 5, rate: 48000 }));
    expect(Math.abs((a.integrated_lufs as number) + 23)).toBeLessThanOrEqual(0.1);
    expect(a.true_peak_dbtp).toBeCloseTo(-23, 0);
    expect(a.sample_peak_dbfs).toBeCloseTo(-23, 1);
    expect(a.stereo_correlation).toBe(1);
    expect(a.crest_db).toBeCloseTo(3.01, 1);
  });

  it("measures a mono file as one channel (BS.1770: −26 LUFS for a −23 dBFS sine, not dual-mono −23)", async () => {
    const a = await analyze(await makeSine(dir, { dbfs: -23, durationS: 5, channels: 1 }));
    expect(a.channels).toBe(1);
    expect(Math.abs((a.integrated_lufs as number) + 26)).toBeLessThanOrEqual(0.1);
    expect(a.stereo_correlation).toBeNull();
  });

  it("gates: 3 s at −23 then 3 s at −43 dBFS (below the relative gate) reads −23 ±0.2, silence reads null", async () => {
    const g = `${dir}/gate.wav`;
    const one = "if(lt(t,3),0.0707946,0.00707946)*sin(2*PI*1000*t)";
    await Bun.spawn([
      "ffmpeg",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `aevalsrc='${one}|${one}':s=48000:d=6`,
      "-c:a",
      "pcm_s24le",
      "-y",
      g,
    ]).exited;
    const a = await analyze(g);
    expect(Math.abs((a.integrated_lufs as number) + 23)).toBeLessThanOrEqual(0.2);
    const silent = await analyze(await makeSilence(dir));
    expect(silent.integrated_lufs).toBeNull();
    expect(silent.true_peak_dbtp).toBeNull();
    expect(JSON.stringify(silent)).not.toMatch(/NaN|Infinity/);
  });

  it("returns every field of a full analysis, JSON-safe", async () => {
    const a = await analyze(await makeMusic(dir, { durationS: 4 }));
    expect(a.spectrum.db.length).toBeGreaterThanOrEqual(32);
    expect(a.timeline.momentary_lufs.length).toBeGreaterThanOrEqual(4);
    expect(a.platforms.map((p) => p.id)).toContain("spotify");
    expect(a.stereo_correlation as number).toBeGreaterThan(0.3);
    expect(a.rms_dbfs as number).toBeLessThan(a.sample_peak_dbfs as number);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("finds decorrelated pink noise near zero correlation and the DC offset of nothing", async () => {
    const a = await analyze(await makePinkNoise(dir));
    expect(Math.abs(a.stereo_correlation as number)).toBeLessThan(0.2);
    expect(a.dc_offset as number).toBeLessThan(0.01);
  });

  it("rejects text and video-only files with stable codes", async () => {
    const txt = `${dir}/notes.txt`;
    await Bun.write(txt, "not audio");
    expect(((await probe(txt).catch((e) => e)) as AppError).code).toBe("audio_unreadable");
    const vid = `${dir}/v.mp4`;
    await Bun.spawn(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=d=0.5", "-y", vid]).exited;
    expect(((await probe(vid).catch((e) => e)) as AppError).code).toBe("no_audio_stream");
  });
});
