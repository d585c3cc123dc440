// Tags and cover art on WRITTEN files (read back with ffprobe): input tags pass through, caller tags win,
// every master carries the "encoded by Magic Master" mark, and cover art survives where the container
// can hold it (MP3, FLAC).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { configureAudioTools, master } from "../../../src/audio";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";

let dir: string;
let tagged: string;

async function run(args: string[]): Promise<string> {
  const p = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  if (code !== 0) throw new Error(`${args[0]} failed: ${err.slice(-400)}`);
  return out;
}

type Probed = {
  format: { tags?: Record<string, string> };
  streams: { codec_type: string; disposition?: { attached_pic?: number } }[];
};
async function probeTags(file: string): Promise<Probed> {
  return JSON.parse(
    await run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", file]),
  ) as Probed;
}
const lower = (t: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k.toLowerCase(), v]));

beforeAll(async () => {
  configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
  dir = await tempDir("mm-tags-");
  const wav = await makeMusic(dir, { durationS: 2 });
  const cover = join(dir, "cover.png");
  await run([
    "ffmpeg",
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    "color=c=purple:s=64x64",
    "-frames:v",
    "1",
    cover,
  ]);
  // An MP3 with tags and an attached cover, as a musician would upload it.
  tagged = join(dir, "tagged.mp3");
  await run([
    "ffmpeg",
    "-v",
    "error",
    "-i",
    wav,
    "-i",
    cover,
    "-map",
    "0:a",
    "-map",
    "1:v",
    "-c:a",
    "libmp3lame",
    "-b:a",
    "192k",
    "-c:v",
    "png",
    "-disposition:v",
    "attached_pic",
    "-id3v2_version",
    "3",
    "-metadata",
    "title=Ночной город",
    "-metadata",
    "artist=Test Artist",
    "-metadata",
    "album=Demo",
    tagged,
  ]);
}, 60_000);
afterAll(() => cleanup(dir));

describe("tags and cover art on the written master", () => {
  for (const format of ["mp3", "flac24"] as const) {
    it(`${format}: keeps title/artist/album and the cover, adds the Magic Master mark`, async () => {
      const out = join(dir, `out-${format}.${format === "mp3" ? "mp3" : "flac"}`);
      await master(tagged, out, { format });
      const p = await probeTags(out);
      const tags = lower(p.format.tags);
      expect(tags.title).toBe("Ночной город");
      expect(tags.artist).toBe("Test Artist");
      expect(tags.album).toBe("Demo");
      expect(`${tags.comment ?? ""} ${tags.encoded_by ?? ""} ${tags.tenc ?? ""}`).toContain("Magic Master");
      expect(p.streams.some((s) => s.codec_type === "video" && s.disposition?.attached_pic === 1)).toBe(true);
    }, 60_000);
  }

  it("caller tags override the input's, and WAV carries the mark without a cover", async () => {
    const out = join(dir, "out.wav");
    await master(tagged, out, { format: "wav24", tags: { title: "Final Mix", year: "2026" } });
    const p = await probeTags(out);
    const tags = lower(p.format.tags);
    expect(tags.title).toBe("Final Mix");
    expect(tags.artist).toBe("Test Artist");
    expect(`${tags.comment ?? ""} ${tags.encoded_by ?? ""}`).toContain("Magic Master");
    expect(p.streams.filter((s) => s.codec_type === "video")).toEqual([]);
  }, 60_000);
});
