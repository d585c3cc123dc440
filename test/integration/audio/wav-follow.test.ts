// wav-follow.ts folds a WAV while ffmpeg is still writing it (the chain's intermediate, a WAV render's
// delivered file): frames arrive before the writer exits, and what was folded in the end is exactly the
// finished file's samples (read afterwards by wav-read.ts), for integer and float WAVs.

import { afterAll, beforeAll, expect, it } from "bun:test";
import { join } from "node:path";
import { runFfmpeg } from "../../../src/audio/ffmpeg";
import { parseWavHeader } from "../../../src/audio/intermediate";
import { WavFollower } from "../../../src/audio/wav-follow";
import { readPcmWav } from "../../../src/audio/wav-read";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";

let dir = "";
let input = "";
beforeAll(async () => {
  dir = await tempDir("mm-wav-follow-");
  input = await makeMusic(dir, { durationS: 4 });
});
afterAll(() => cleanup(dir));

/** Frames, Σx and Σx·i (order-sensitive) of interleaved float runs. */
class Sums {
  frames = 0;
  sum = 0;
  weighted = 0;
  private i = 0;
  constructor(private readonly channels: number) {}
  push(x: Float32Array, n: number): void {
    for (let k = 0; k < n; k++) {
      const v = x[k] as number;
      this.sum += v;
      this.weighted += v * (this.i++ % 1000);
    }
    this.frames += n / this.channels;
  }
}

async function finished(path: string): Promise<Sums> {
  const file = Bun.file(path);
  const w = parseWavHeader(new Uint8Array(await file.slice(0, 1 << 16).arrayBuffer()), file.size);
  if (!w) throw new Error("no header");
  const s = new Sums(w.channels);
  await readPcmWav(path, w, Number.POSITIVE_INFINITY, (x) => s.push(x, x.length));
  return s;
}

for (const codec of ["pcm_s24le", "pcm_f32le", "pcm_s16le"]) {
  it(`folds a ${codec} WAV while ffmpeg writes it, ending with exactly the finished file's samples`, async () => {
    const out = join(dir, `out-${codec}.wav`);
    const live = new Sums(2);
    // Frames already folded when a progress line of the unfinished run (fraction < 1) arrived.
    let midway = 0;
    const f = new WavFollower(out, (x, n) => live.push(x, n));
    // -re: the writer takes the audio's own time (4 s), so several progress lines arrive while it writes.
    await runFfmpeg(["-re", "-i", input, "-c:a", codec, "-y", out], {
      durationS: 4,
      onProgress: (x) => {
        if (x < 1) midway = Math.max(midway, live.frames);
        f.poke();
      },
      outputs: [out],
    });
    const frames = await f.finish();
    const file = await finished(out);
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(file.frames);
    expect(frames).toBe(file.frames);
    expect(frames).toBe(4 * 44100);
    expect({ sum: live.sum, weighted: live.weighted }).toEqual({ sum: file.sum, weighted: file.weighted });
  }, 60_000);
}

it("a layout the caller refuses fails finish() before any sample is folded", async () => {
  const out = join(dir, "refused.wav");
  await runFfmpeg(["-i", input, "-c:a", "pcm_s16le", "-y", out]);
  let folded = 0;
  const f = new WavFollower(
    out,
    (_x, n) => {
      folded += n;
    },
    {
      check: (w) => {
        if (w.format !== 3) throw new Error("float only");
      },
    },
  );
  f.poke();
  await expect(f.finish()).rejects.toThrow("float only");
  expect(folded).toBe(0);
});
