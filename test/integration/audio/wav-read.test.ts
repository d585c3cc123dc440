// wav-read.ts converts a WAV's samples in JS exactly as ffmpeg's decode to float does: for every sample
// format, the floats handed over equal ffmpeg's own `-f f32le` output bit for bit (24-bit through the
// word-at-a-time path, odd sample counts through its byte-wise tail, across the 4 MiB slices).

import { afterAll, beforeAll, expect, it } from "bun:test";
import { parseWavHeader } from "../../../src/audio/intermediate";
import { readPcmWav } from "../../../src/audio/wav-read";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir("mm-wav-read-");
});
afterAll(() => cleanup(dir));

async function ffmpegFloats(file: string): Promise<Float32Array> {
  const p = Bun.spawn(["ffmpeg", "-v", "error", "-i", file, "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"], {
    stdout: "pipe",
  });
  const bytes = new Uint8Array(await new Response(p.stdout).arrayBuffer());
  await p.exited;
  return new Float32Array(bytes.buffer, 0, bytes.length / 4);
}

const cases = [
  { codec: "pcm_s24le", channels: 2 as const, durationS: 4 },
  // Mono, 66 150 samples: not a multiple of 4 (the last two go through the byte-wise tail).
  { codec: "pcm_s24le", channels: 1 as const, durationS: 1.5 },
  { codec: "pcm_s16le", channels: 2 as const, durationS: 1 },
  { codec: "pcm_s32le", channels: 2 as const, durationS: 1 },
  { codec: "pcm_f32le", channels: 1 as const, durationS: 1 },
  { codec: "pcm_u8", channels: 2 as const, durationS: 1 },
];

for (const c of cases) {
  it(`${c.codec}, ${c.channels} ch, ${c.durationS} s: the floats ffmpeg decodes, bit for bit`, async () => {
    const file = await makeMusic(dir, {
      ...c,
      loud: true,
      name: `${c.codec}-${c.channels}-${c.durationS}.wav`,
    });
    const f = Bun.file(file);
    const w = parseWavHeader(new Uint8Array(await f.slice(0, 1 << 16).arrayBuffer()), f.size);
    if (!w) throw new Error("no header");
    const got: number[] = [];
    await readPcmWav(file, w, Number.POSITIVE_INFINITY, (x) => {
      for (const v of x) got.push(v);
    });
    const want = await ffmpegFloats(file);
    expect(got.length).toBe(want.length);
    if (c.channels === 1 && c.codec === "pcm_s24le") expect(want.length % 4).toBe(2);
    let first = -1;
    for (let i = 0; i < want.length && first < 0; i++) if (!Object.is(got[i], want[i])) first = i;
    expect({ first, got: got[first], want: want[first] }).toEqual({
      first: -1,
      got: undefined,
      want: undefined,
    });
  }, 60_000);
}
