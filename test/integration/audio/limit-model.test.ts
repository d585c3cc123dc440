// The limiter model (src/audio/limit-model.ts) that replaced the ffmpeg gain search: on generated
// signals of every kind, its loudness prediction after gain + limiter must read like ffmpeg's own 1×
// alimiter + ebur128 (the old search pass, planSearchPass, run here as the reference), and the master
// it steers must land on target at the first render on longer material.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { master } from "../../../src/audio";
import { parseEburSummaries } from "../../../src/audio/ebur128-parse";
import { runFfmpeg } from "../../../src/audio/ffmpeg";
import { parseWavHeader } from "../../../src/audio/intermediate";
import { LIMITER_MARGIN_DB, planSearchPass } from "../../../src/audio/plan";
import { readLimitModel } from "../../../src/audio/wav-follow";
import {
  cleanup,
  makeBallad,
  makeDrumLoop,
  makeMusic,
  makeSpeechLike,
  measure,
  tempDir,
} from "../../fixtures/audio";

const T = 180_000;
let dir = "";
const f32: Record<string, string> = {};

/** The chain's intermediate is float WAV; the fixtures are 24-bit, so convert like the chain would. */
async function toFloat(src: string, name: string): Promise<string> {
  const out = join(dir, `${name}-f32.wav`);
  await runFfmpeg(["-i", src, "-c:a", "pcm_f32le", "-f", "wav", "-y", out]);
  return out;
}

beforeAll(async () => {
  dir = await tempDir();
  const [music, loud, drums, ballad, speech, mono] = await Promise.all([
    makeMusic(dir, { durationS: 12 }),
    makeMusic(dir, { durationS: 12, loud: true, name: "loud.wav" }),
    makeDrumLoop(dir, { durationS: 8 }),
    makeBallad(dir, { durationS: 16 }),
    makeSpeechLike(dir, { durationS: 10 }),
    makeMusic(dir, { durationS: 6, channels: 1, rate: 48000, name: "mono48.wav" }),
  ]);
  const all = { music, loud, drums, ballad, speech, mono };
  await Promise.all(
    Object.entries(all).map(async ([k, v]) => {
      f32[k] = await toFloat(v, k);
    }),
  );
}, T);
afterAll(() => cleanup(dir));

/** ffmpeg's reading of each gain through the 1× limiter at `ceiling` (the old search pass). */
async function ffmpegReadings(file: string, gains: number[], ceiling: number, release: number) {
  const { stderr } = await runFfmpeg(planSearchPass(file, gains, ceiling, release));
  const sums = parseEburSummaries(stderr);
  return gains.map((_, i) => sums.get(`c${i}`)?.integrated_lufs ?? Number.NaN);
}

describe("limiter model", () => {
  it("reads the WAV header ffmpeg writes for the float intermediate", async () => {
    const file = f32.music as string;
    const head = new Uint8Array(await Bun.file(file).slice(0, 4096).arrayBuffer());
    const w = parseWavHeader(head, Bun.file(file).size);
    expect(w).not.toBeNull();
    expect([w?.format, w?.channels, w?.rate]).toEqual([3, 2, 44100]);
    expect(w?.dataBytes).toBe(12 * 44100 * 2 * 4);
  });

  for (const [name, release] of [
    ["music", 60],
    ["music", 120],
    ["loud", 60],
    ["loud", 30],
    ["drums", 60],
    ["ballad", 120],
    ["speech", 60],
    ["mono", 60],
  ] as const) {
    it.concurrent(
      `${name}, release ${release} ms: unlimited loudness and every gain +0…+10 dB within 0.2 LU of ffmpeg (which prints 0.1 LU)`,
      async () => {
        const file = f32[name] as string;
        const ceiling = -1;
        const model = await readLimitModel(file);
        const { stderr } = await runFfmpeg([
          "-i",
          file,
          "-af",
          "ebur128=framelog=verbose",
          "-f",
          "null",
          "-",
        ]);
        const plain = parseEburSummaries(stderr).get("Parsed_ebur128_0");
        const base = model.loudness(0, null);
        if (plain) expect(Math.abs(base - plain.integrated_lufs)).toBeLessThanOrEqual(0.06);
        // Gains from "just into the limiter" to 10 dB past it.
        const into = ceiling - LIMITER_MARGIN_DB - model.peakDb();
        const gains = [0, 2, 4, 6, 8, 10].map((o) => Math.round((into + o) * 100) / 100);
        const ref = await ffmpegReadings(file, gains, ceiling, release);
        const limitDb = ceiling - LIMITER_MARGIN_DB;
        const diffs = gains.map((g, i) => model.loudness(g, limitDb, release) - (ref[i] as number));
        for (const d of diffs) expect(Math.abs(d)).toBeLessThanOrEqual(0.2);
      },
      T,
    );
  }

  it.concurrent(
    "a 40 s master of each kind lands within 0.2 LU at the first render (no correction pass)",
    async () => {
      const kinds = {
        music: await makeMusic(dir, { durationS: 40, name: "m40.wav" }),
        loud: await makeMusic(dir, { durationS: 40, loud: true, name: "l40.wav" }),
        ballad: await makeBallad(dir, { durationS: 40, name: "b40.wav" }),
      };
      for (const [k, input] of Object.entries(kinds)) {
        for (const style of ["standard", "edm"] as const) {
          const out = join(dir, `${k}-${style}.wav`);
          const rep = await master(input, out, { style });
          const m = await measure(out);
          expect({ k, style, attempts: rep.attempts }).toEqual({ k, style, attempts: 1 });
          expect(Math.abs(m.lufs - rep.target_lufs)).toBeLessThanOrEqual(0.2);
          expect(m.tp).toBeLessThanOrEqual(rep.ceiling_dbtp);
        }
      }
    },
    T * 2,
  );
});
