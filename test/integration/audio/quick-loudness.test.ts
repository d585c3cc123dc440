// The staging loudness (src/audio/quick-loudness.ts) folded in JS must read what ffmpeg's ebur128 reads
// on the same file, for every sample format a WAV can carry (read straight from the file, no process)
// and for decoded formats (one ffmpeg decode on a pipe); more than 2 channels stay on ebur128.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { analyze } from "../../../src/audio/analyze";
import { observeRuns, type RunRecord, runFfmpeg } from "../../../src/audio/ffmpeg";
import { probe } from "../../../src/audio/probe";
import { quickLoudness, quickMeter } from "../../../src/audio/quick-loudness";
import { cleanup, makeDrumLoop, makeMusic, makeSpeechLike, measure, tempDir } from "../../fixtures/audio";

const T = 60_000;
let dir = "";
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir();
  const codecs = ["pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le", "pcm_u8"];
  const made = await Promise.all([
    ...codecs.map((codec) => makeMusic(dir, { durationS: 6, codec, name: `${codec}.wav` })),
    makeMusic(dir, { durationS: 6, loud: true, name: "loud.wav" }),
    makeSpeechLike(dir, { durationS: 6, rate: 48000, channels: 1, name: "mono48.wav" }),
    makeDrumLoop(dir, { durationS: 6, rate: 22050, codec: "flac", name: "drums.flac" }),
    makeMusic(dir, { durationS: 6, codec: "libmp3lame", name: "music.mp3" }),
  ]);
  for (const f of made) files[f.slice(dir.length + 1)] = f;
  const six = join(dir, "surround.wav");
  await runFfmpeg([
    "-i",
    files["pcm_s24le.wav"] as string,
    "-af",
    "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0.1*c0|BL=0.5*c0|BR=0.5*c1",
    "-c:a",
    "pcm_s24le",
    "-y",
    six,
  ]);
  files["surround.wav"] = six;
}, T);

afterAll(() => cleanup(dir));

/** The value and the children it took, with ffmpeg's own ebur128 (the fixture's measure) beside it. */
async function both(name: string) {
  const file = files[name] as string;
  const info = await probe(file);
  const runs: RunRecord[] = [];
  observeRuns((r) => runs.push(r));
  let ours: number | null;
  try {
    ours = await quickLoudness(file, info, {});
  } finally {
    observeRuns(null);
  }
  return { ours, ffmpeg: (await measure(file)).lufs, processes: runs.length };
}

describe("quick loudness", () => {
  for (const name of [
    "pcm_s16le.wav",
    "pcm_s24le.wav",
    "pcm_s32le.wav",
    "pcm_f32le.wav",
    "pcm_f64le.wav",
    "pcm_u8.wav",
    "loud.wav",
    "mono48.wav",
  ]) {
    it(
      `${name}: read straight from the file, reads like ebur128`,
      async () => {
        const r = await both(name);
        expect(r.processes).toBe(0);
        // The same arithmetic as ebur128; its printed value (0.1 LU) may still sit one rounding step away.
        expect(Math.abs((r.ours as number) - r.ffmpeg)).toBeLessThanOrEqual(0.1001);
      },
      T,
    );
  }

  for (const name of ["drums.flac", "music.mp3", "surround.wav"]) {
    it(
      `${name}: one ffmpeg decode, reads like ebur128`,
      async () => {
        const r = await both(name);
        expect(r.processes).toBe(1);
        expect(Math.abs((r.ours as number) - r.ffmpeg)).toBeLessThanOrEqual(0.1001);
      },
      T,
    );
  }
});

describe("the analysis takes I, LRA and the timeline from the quick pass's meter (no second K-weighting)", () => {
  for (const name of ["pcm_s24le.wav", "music.mp3", "mono48.wav"]) {
    it(
      `${name}: the same analysis as one that meters loudness itself`,
      async () => {
        const file = files[name] as string;
        const info = await probe(file);
        const { lufs, meter } = await quickMeter(file, info, {});
        expect(meter).not.toBeNull();
        const shared = await analyze(file, { info, loudness: meter });
        expect(shared.integrated_lufs).toBe(lufs);
        expect(shared).toEqual(await analyze(file, { info }));
      },
      T,
    );
  }

  it(
    "the meter given is what the analysis reports (it is not folded again)",
    async () => {
      // The caller's contract is "the same file"; a same-shaped other file shows whose numbers are used.
      const file = files["pcm_s24le.wav"] as string;
      const loud = files["loud.wav"] as string;
      const { lufs, meter } = await quickMeter(loud, await probe(loud), {});
      const a = await analyze(file, { info: await probe(file), loudness: meter });
      expect(a.integrated_lufs).toBe(lufs);
      expect(a.integrated_lufs).not.toBe((await analyze(file)).integrated_lufs);
    },
    T,
  );

  it(
    "a meter that folded another file is refused, not reported as this one's loudness",
    async () => {
      const file = files["pcm_s24le.wav"] as string;
      const other = files["mono48.wav"] as string;
      const { meter } = await quickMeter(other, await probe(other), {});
      const info = await probe(file);
      // Another stream's meter (1 channel, 48 kHz, another length): its frame count gives it away.
      await expect(analyze(file, { info, loudness: meter })).rejects.toThrow("loudness folded");
    },
    T,
  );
});
