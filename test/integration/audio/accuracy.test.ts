// The accuracy matrix of issue 3 point 9: every style, the main presets, lossy formats (decoded),
// mono, 48 kHz/24-bit, quiet and hot inputs, all on 2 s generated signals, each output measured by
// an INDEPENDENT ebur128 call (fixtures/measure). Cases run concurrently: each is a chain of ffmpeg
// processes, so two cores stay busy.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type MasterSettings, master, STYLES } from "../../../src/audio";
import type { AppError } from "../../../src/errors";
import {
  cleanup,
  makeClipped,
  makeMusic,
  makePinkNoise,
  makeSilence,
  makeSpeechLike,
  measure,
  tempDir,
} from "../../fixtures/audio";

const T = 180_000;
let dir = "";
const inputs: Record<string, string> = {};
beforeAll(async () => {
  dir = await tempDir();
  const [music, mono, hi, pink, speech, clipped] = await Promise.all([
    makeMusic(dir),
    makeMusic(dir, { channels: 1, name: "mono.wav" }),
    makeMusic(dir, { rate: 48000, name: "hi.wav" }),
    makePinkNoise(dir),
    makeSpeechLike(dir),
    makeClipped(dir),
  ]);
  Object.assign(inputs, { music, mono, hi, pink, speech, clipped });
  // A quiet input around −30 LUFS.
  inputs.quiet = join(dir, "quiet.wav");
  await Bun.spawn([
    "ffmpeg",
    "-v",
    "error",
    "-i",
    music,
    "-af",
    "volume=-10.5dB",
    "-c:a",
    "pcm_s24le",
    "-y",
    inputs.quiet,
  ]).exited;
});
afterAll(() => cleanup(dir));

type Case = { name: string; input: keyof typeof inputs | string; settings: MasterSettings; ext: string };

async function check(c: Case) {
  const out = join(dir, `${c.name}.${c.ext}`);
  const rep = await master(inputs[c.input] as string, out, c.settings);
  const m = await measure(out);
  const inM = await measure(inputs[c.input] as string);
  return { rep, m, inM, out };
}

const cases: Case[] = [
  ...STYLES.map((s) => ({ name: `style-${s.id}`, input: "music", settings: { style: s.id }, ext: "wav" })),
  ...(["spotify", "apple", "club", "ebu-r128"] as const).map((p) => ({
    name: `preset-${p}`,
    input: "music",
    settings: { preset: p },
    ext: "wav",
  })),
  { name: "mp3-320", input: "music", settings: { format: "mp3", bitrate: 320 }, ext: "mp3" },
  { name: "mp3-128", input: "music", settings: { format: "mp3", bitrate: 128 }, ext: "mp3" },
  { name: "aac", input: "music", settings: { format: "aac" }, ext: "m4a" },
  { name: "opus", input: "music", settings: { format: "opus" }, ext: "opus" },
  { name: "flac16", input: "music", settings: { format: "flac16" }, ext: "flac" },
  { name: "wav16-pink", input: "pink", settings: { format: "wav16" }, ext: "wav" },
  { name: "podcast-speech", input: "speech", settings: { style: "podcast" }, ext: "wav" },
  { name: "mono", input: "mono", settings: {}, ext: "wav" },
  { name: "48k-24bit", input: "hi", settings: { format: "wav24" }, ext: "wav" },
  { name: "quiet", input: "quiet", settings: {}, ext: "wav" },
  { name: "hot-clipped", input: "clipped", settings: {}, ext: "wav" },
];

describe("master accuracy on generated 2 s signals", () => {
  for (const c of cases) {
    it.concurrent(
      `${c.name}: |I − target| ≤ 0.3 LU and TP ≤ ceiling on the written file`,
      async () => {
        const { rep, m, inM } = await check(c);
        expect(Math.abs(m.lufs - rep.target_lufs)).toBeLessThanOrEqual(0.3);
        expect(m.tp).toBeLessThanOrEqual(rep.ceiling_dbtp);
        expect(Number.isFinite(m.lufs) && m.peak > -60).toBe(true);
        expect(rep.within_spec).toBe(true);
        expect(m.channels).toBe(inM.channels);
        // Lossless at the input rate keeps the exact sample count.
        if (!["mp3", "m4a", "opus"].includes(c.ext)) expect(m.samples).toBe(inM.samples);
      },
      T,
    );
  }

  it.concurrent(
    "keeps the 48 kHz rate, converts to 48 kHz when asked, and writes 24-bit",
    async () => {
      const { m } = await check({
        name: "to48",
        input: "music",
        settings: { sample_rate: 48000 },
        ext: "wav",
      });
      expect(m.rate).toBe(48000);
      const { rep } = await check({
        name: "hi-keep",
        input: "hi",
        settings: { format: "flac24" },
        ext: "flac",
      });
      expect([rep.after.sample_rate, rep.after.bit_depth]).toEqual([48000, 24]);
    },
    T,
  );

  it.concurrent(
    "rejects silence with audio_silent and leaves no output behind",
    async () => {
      const out = join(dir, "silent-out.wav");
      const err = await master(await makeSilence(dir, { name: "silent.wav" }), out, {}).catch(
        (e: unknown) => e,
      );
      expect((err as AppError).code).toBe("audio_silent");
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).some((f) => f.startsWith(".silent-out"))).toBe(false);
    },
    T,
  );

  it.concurrent(
    "removes the partial output when aborted mid-flow",
    async () => {
      const ac = new AbortController();
      const out = join(dir, "aborted.wav");
      const err = await master(
        inputs.music as string,
        out,
        {},
        { signal: ac.signal, onProgress: (_f, stage) => stage === "chain" && ac.abort() },
      ).catch((e: unknown) => e);
      expect((err as AppError).code).toBe("cancelled");
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).some((f) => f.startsWith(".aborted"))).toBe(false);
    },
    T,
  );
});

describe("dynamics", () => {
  it(
    "standard at −14 keeps ≥ 70 % of a dynamic input's LRA (20 s input)",
    async () => {
      const long = await makeMusic(dir, { durationS: 20, name: "long.wav" });
      const out = join(dir, "long-out.wav");
      const rep = await master(long, out, { style: "standard" });
      const [a, b] = await Promise.all([measure(long), measure(out)]);
      expect(a.lra).toBeGreaterThan(3);
      expect(b.lra / a.lra).toBeGreaterThanOrEqual(0.7);
      expect(Math.abs(b.lufs + 14)).toBeLessThanOrEqual(0.3);
      expect(rep.after.lra_lu).toBe(b.lra);
    },
    T,
  );
});
