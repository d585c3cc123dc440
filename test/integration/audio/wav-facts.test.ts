// The verify step reads a written WAV's container fields from its header (wav-read.ts wavFacts) instead
// of starting ffprobe: for every WAV the renders write (16/24-bit PCM, 32-bit float; stereo and mono,
// with tags) the fields must be the ones ffprobe reports.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { runFfmpeg } from "../../../src/audio/ffmpeg";
import { probe } from "../../../src/audio/probe";
import { wavFacts } from "../../../src/audio/wav-read";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

describe("wavFacts", () => {
  for (const [codec, layout, rate] of [
    ["pcm_s16le", "stereo", 44100],
    ["pcm_s24le", "stereo", 48000],
    ["pcm_f32le", "stereo", 44100],
    ["pcm_s24le", "mono", 96000],
  ] as const) {
    it(`${codec} ${layout} ${rate}: the fields ffprobe reports`, async () => {
      const out = join(dir, `${codec}-${layout}-${rate}.wav`);
      await runFfmpeg([
        ...["-f", "lavfi", "-i", `sine=f=440:r=${rate}:d=2.345`],
        ...["-af", `aformat=channel_layouts=${layout}`, "-metadata", "title=t", "-metadata", "comment=c"],
        ...["-c:a", codec, "-f", "wav", "-y", out],
      ]);
      const p = await probe(out);
      const facts = await wavFacts(out);
      expect(facts).not.toBeNull();
      const { duration_s, ...rest } = facts as NonNullable<typeof facts>;
      expect(rest).toEqual({
        sample_rate: p.sample_rate,
        channels: p.channels,
        codec: p.codec,
        bit_depth: p.bit_depth,
        format_name: p.format_name,
      });
      expect(Math.abs(duration_s - p.duration_s)).toBeLessThan(1e-6);
    }, 60_000);
  }

  it("is null for what is not a WAV JS reads (ffprobe then answers)", async () => {
    const out = join(dir, "x.flac");
    await runFfmpeg(["-f", "lavfi", "-i", "sine=d=1", "-c:a", "flac", "-y", out]);
    expect(await wavFacts(out)).toBeNull();
  }, 60_000);
});
