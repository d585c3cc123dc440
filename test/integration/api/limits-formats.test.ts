// GET /api/limits tells a browser the byte caps the upload code applies per format class, so the master
// page can refuse an over-limit file before sending it: the config's format limits, lowered by the
// caller's tier when billing is on. Then the server refuses the same file with 413 (the numbers agree).
import { afterEach, describe, expect, it } from "bun:test";
import { makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const formatsMb = async (x: Harness) => {
  const res = await fetch(`${x.url}/api/limits`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { upload_formats_mb: Record<string, number> }).upload_formats_mb;
};

describe("GET /api/limits upload_formats_mb", () => {
  it("is the config's format limits with billing off", async () => {
    h = await startApi(
      { MM_UPLOAD_MAX_MB_WAV: "2", MM_UPLOAD_MAX_MB_FLAC: "3", MM_UPLOAD_MAX_MB_LOSSY: "1" },
      { start: false },
    );
    expect(await formatsMb(h)).toEqual({ wav: 2, flac: 3, lossy: 1 });
  });

  it("is lowered by the tier's cap with billing on (guest: 100 MB)", async () => {
    h = await startApi({ MM_BILLING: "on" }, { start: false });
    expect(await formatsMb(h)).toEqual({ wav: 100, flac: 100, lossy: 100 });
  });

  it("agrees with the server: a WAV over the advertised WAV cap is refused 413 and leaves no file", async () => {
    h = await startApi({ MM_UPLOAD_MAX_MB_WAV: "1" }, { start: false });
    expect((await formatsMb(h)).wav).toBe(1);
    const wav = await makeMusic(await tempDir("mm-limfmt-"), { durationS: 10, codec: "pcm_s16le" }); // ≈ 1.7 MB
    const res = await fetch(`${h.url}/api/v2/master`, {
      method: "POST",
      body: await form([{ name: "big.wav", data: wav }]),
    });
    expect(res.status).toBe(413);
    expect(h.files().filter((f) => f.includes("/uploads/"))).toEqual([]);
  });
});
