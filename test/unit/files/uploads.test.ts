// Safe names, magic bytes, limits and the streamed writer.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { loadConfig } from "../../../src/config";
import { sanitizeFilename, sniffAudioContainer, storeUpload, uploadLimitBytes } from "../../../src/files";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("mm-files-");
});
afterAll(() => cleanup(dir));

describe("sanitizeFilename", () => {
  const cases: [string, string][] = [
    ["../../etc/passwd.wav", "passwd.wav"],
    ["C:\\Users\\me\\mix.flac", "mix.flac"],
    ["evil\u0000name.wav", "evilname.wav"],
    [".hidden.wav", "hidden.wav"],
    ['a<b>:"c"|d?.wav', "a_b___c__d_.wav"],
    ["Мой трек (final).wav", "Мой трек (final).wav"],
    ["", "audio"],
    ["../..", "audio"],
  ];
  for (const [input, out] of cases)
    it(`turns ${JSON.stringify(input.slice(0, 30))} into ${JSON.stringify(out)}`, () =>
      expect(sanitizeFilename(input)).toBe(out));

  it("cuts a 500-character unicode name to 180 bytes and keeps the extension", () => {
    const s = sanitizeFilename(`${"я".repeat(500)}.wav`);
    expect(new TextEncoder().encode(s).length).toBeLessThanOrEqual(180);
    expect(s.endsWith(".wav")).toBe(true);
  });
});

describe("sniffAudioContainer", () => {
  const b = (s: string, ...rest: number[]) =>
    new Uint8Array([...new TextEncoder().encode(s), ...rest, ...new Array(16).fill(0)]);
  const cases: [string, Uint8Array, string | null][] = [
    ["RIFF/WAVE", b("RIFF\0\0\0\0WAVE"), "wav"],
    ["FORM/AIFF", b("FORM\0\0\0\0AIFF"), "aiff"],
    ["fLaC", b("fLaC"), "flac"],
    ["OggS", b("OggS"), "ogg"],
    ["ID3", b("ID3"), "mp3"],
    ["MPEG frame sync", new Uint8Array([0xff, 0xfb, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0]), "mp3"],
    ["ftyp", b("\0\0\0\x18ftypM4A "), "mp4"],
    ["text", b("hello world, not audio"), null],
    ["too short", new TextEncoder().encode("RIFF"), null],
  ];
  for (const [name, bytes, out] of cases)
    it(`recognises ${name} as ${out}`, () => expect(sniffAudioContainer(bytes) as string | null).toBe(out));
});

describe("uploadLimitBytes", () => {
  const config = loadConfig({});
  it("uses the per-format limits and the smaller owner limit", () => {
    expect(uploadLimitBytes("a.wav", config)).toBe(800 * 1048576);
    expect(uploadLimitBytes("flac", config)).toBe(500 * 1048576);
    expect(uploadLimitBytes("x.mp3", config)).toBe(300 * 1048576);
    expect(uploadLimitBytes("a.wav", config, () => 1000, "tg:1")).toBe(1000);
  });
});

describe("storeUpload", () => {
  async function* chunks(n: number, size: number) {
    for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(i === 0 ? 0x52 : 1);
  }
  it("throws file_too_large as soon as the limit is crossed and leaves no partial file", async () => {
    let pulled = 0;
    async function* counted() {
      for await (const c of chunks(100, 1024)) {
        pulled++;
        yield c;
      }
    }
    await expect(storeUpload(counted(), { dir, maxBytes: 10 * 1024, originalName: "a.wav" })).rejects.toThrow(
      "file_too_large",
    );
    expect(pulled).toBe(11);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("rejects content that is not audio after the first bytes when the limit depends on the format", async () => {
    await expect(
      storeUpload(chunks(100, 1024), { dir, maxBytes: () => 1 << 30, originalName: "a.wav" }),
    ).rejects.toThrow("unsupported_format");
    expect(readdirSync(dir)).toEqual([]);
  });
});
