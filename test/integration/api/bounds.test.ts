// Inputs are bounded by what they decode to, not their size. Small files that decode to hours, to 8
// channels at 384 kHz, or to far more than their header claims are refused with a precise code in the
// caller's language, leave no file behind and charge nobody; a disk that cannot hold the job's worst case
// answers 507 before anything is written.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { freeBytes } from "../../../src/files";
import { t } from "../../../src/i18n";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { makeForgedFlac, makeLongFlac, makeWide } from "../../fixtures/hostile";
import { form, type Harness, startApi, until } from "./harness";

type ErrorBody = { error: { code: string; message: string } };

let fx = "";
let h: Harness;
const files: Record<string, string> = {};

beforeAll(async () => {
  fx = await tempDir();
  [files.sixHours, files.wide, files.eightCh, files.tenCh, files.forged] = await Promise.all([
    makeLongFlac(fx, { hours: 6 }),
    makeWide(fx, { seconds: 3 }),
    makeWide(fx, { seconds: 3, rate: 48000 }),
    makeWide(fx, { seconds: 3, rate: 48000, channels: 10 }),
    makeForgedFlac(fx, { claimedS: 2, actualS: 600 }),
  ]);
  h = await startApi();
}, 120_000);
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
  await cleanup(fx);
});

/** POSTs `file` to `server` (default: the shared harness) as the one file of a multipart form. */
async function upload(
  path: string,
  file: string,
  o: { server?: Harness; lang?: string; fields?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${(o.server ?? h).url}${path}`, {
    method: "POST",
    headers: { "accept-language": o.lang ?? "en" },
    body: await form([{ name: file.split("/").pop() ?? "x.flac", data: file }], o.fields),
  });
}

async function post(path: string, file: string, lang = "en"): Promise<{ status: number; body: ErrorBody }> {
  const res = await upload(path, file, { lang });
  return { status: res.status, body: (await res.json()) as ErrorBody };
}

/** Uploads of finished jobs are removed once the final state is committed: wait for that. */
const filesGone = () =>
  until(
    "no files left",
    () => h.files(),
    (f) => f.length === 0,
    10_000,
  );

function expectNothingLeft(): void {
  expect(h.files()).toEqual([]);
  expect(h.billing.count("reserve")).toBe(0);
}

describe("caps on what an upload decodes to (defaults)", () => {
  it("refuses a 6 h FLAC of a few hundred KB as audio_too_long, in Russian with the limit", async () => {
    expect(Bun.file(files.sixHours as string).size).toBeLessThan(1 << 20);
    const { status, body } = await post("/api/v2/master", files.sixHours as string, "ru");
    expect(status).toBe(422);
    expect(body.error.code).toBe("audio_too_long");
    expect(body.error.message).toBe(t("ru", "audio_too_long", { duration_min: 360, max_min: 30 }));
    expectNothingLeft();
  });

  it("refuses 8 channels at 384 kHz as sample_rate_unsupported (limit 192 000 Hz)", async () => {
    const { status, body } = await post("/api/v2/master", files.wide as string);
    expect(status).toBe(422);
    expect(body.error.code).toBe("sample_rate_unsupported");
    expect(body.error.message).toBe(t("en", "sample_rate_unsupported", { rate: 384000, max_hz: 192000 }));
    expectNothingLeft();
  });

  it("refuses 8 channels for mastering as too_many_channels (mono or stereo only)", async () => {
    for (const path of ["/api/v2/master", "/api/v2/preview", "/api/v2/batch"]) {
      const { status, body } = await post(path, files.eightCh as string);
      expect(status).toBe(422);
      expect(body.error.code).toBe("too_many_channels");
      expect(body.error.message).toBe(t("en", "too_many_channels", { channels: 8, max: 2 }));
      expectNothingLeft();
    }
  });

  it("measures 8 channels (loudness is defined for surround) but refuses 10", async () => {
    const res = await upload("/api/measure", files.eightCh as string);
    expect(res.status).toBe(200);
    const { analysis } = (await res.json()) as { analysis: { channels: number; integrated_lufs: number } };
    expect(analysis.channels).toBe(8);
    expect(analysis.integrated_lufs).toBeLessThan(0);
    const ten = await post("/api/measure", files.tenCh as string);
    expect(ten.status).toBe(422);
    expect(ten.body.error.code).toBe("too_many_channels");
    expect(ten.body.error.message).toBe(t("en", "too_many_channels", { channels: 10, max: 8 }));
    // The measured upload is gone once its job is final; the refused one never stayed.
    await filesGone();
  });
});

describe("caps from config", () => {
  it("takes a file exactly at the default caps (192 kHz stereo)", async () => {
    const atCap = await makeMusic(fx, { durationS: 1, rate: 192000, name: "at-cap.wav" });
    const res = await upload("/api/v2/master", atCap);
    expect(res.status).toBe(202);
    h.jobs.cancel(((await res.json()) as { id: string }).id, "test");
    await filesGone();
  });

  it("applies MM_MAX_CHANNELS and MM_MAX_DURATION_MIN as configured", async () => {
    const strict = await startApi({ MM_MAX_CHANNELS: "1", MM_MAX_DURATION_MIN: "0.1" }, { start: false });
    try {
      const stereo = await makeMusic(fx, { durationS: 1, name: "stereo.wav" });
      const long = await makeMusic(fx, { durationS: 8, channels: 1, name: "mono-8s.wav" });
      const send = (file: string) => upload("/api/v2/master", file, { server: strict });
      const a = (await (await send(stereo)).json()) as ErrorBody;
      expect(a.error.message).toBe(t("en", "too_many_channels", { channels: 2, max: 1 }));
      const b = (await (await send(long)).json()) as ErrorBody;
      expect(b.error.message).toBe(t("en", "audio_too_long", { duration_min: 1, max_min: 0.1 }));
      expect(strict.files()).toEqual([]);
    } finally {
      await strict.stop();
      await cleanup(strict.dir);
    }
  });
});

describe("a file that decodes to more than its header claims", () => {
  it("is accepted on its 2 s claim, then its job stops at the budget: audio_decodes_longer, refunded", async () => {
    const res = await upload("/api/v2/master", files.forged as string);
    expect(res.status).toBe(202);
    const { id: job_id } = (await res.json()) as { id: string };
    const job = await until(
      "job final",
      () => h.jobs.get(job_id),
      (j) => j?.status === "failed" || j?.status === "done",
      60_000,
    );
    expect(job?.status).toBe("failed");
    expect(job?.error?.code).toBe("audio_decodes_longer");
    expect(h.billing.count("reserve", job_id)).toBe(1);
    expect(h.billing.count("refund", job_id)).toBe(1);
    await filesGone();
  });

  it("answers a measure of it with the same code over HTTP", async () => {
    const { status, body } = await post("/api/measure", files.forged as string);
    expect(status).toBe(422);
    expect(body.error.code).toBe("audio_decodes_longer");
    expect(body.error.message).toBe(t("en", "audio_decodes_longer"));
    await filesGone();
  });
});

describe("free disk against the job's worst case", () => {
  let tight: Harness;
  afterAll(async () => {
    await tight?.stop();
    if (tight) await cleanup(tight.dir);
  });

  it("answers 507 insufficient_storage before writing a byte when the disk is at its reserve", async () => {
    const low = await startApi({ MM_DISK_LOW_MB: String(1 << 30) });
    try {
      const wav = await makeMusic(fx, { durationS: 1 });
      const res = await upload("/api/v2/master", wav, { server: low, lang: "ru" });
      expect(res.status).toBe(507);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("insufficient_storage");
      expect(body.error.message).toBe(t("ru", "insufficient_storage"));
      expect(low.files()).toEqual([]);
      expect(low.billing.count("reserve")).toBe(0);
    } finally {
      await low.stop();
      await cleanup(low.dir);
    }
  });

  it("refuses a small upload whose float intermediate and result would not fit, takes one that does", async () => {
    // 5 min of 192 kHz mono is a ~0.1 MB FLAC but needs ≈ 0.5 GB of work space (float intermediate +
    // result); 1 s of 44.1 kHz stereo needs ≈ 10 MB. The reserve leaves ~200 MB free, so other writers on
    // this machine would have to move the free space by ~190 MB to change either outcome.
    const hiRes = await makeLongFlac(fx, { hours: 5 / 60, rate: 192000 });
    const small = await makeMusic(fx, { durationS: 1, name: "small.wav" });
    const probeDir = await tempDir("mm-free-");
    const free = freeBytes(probeDir) ?? 0;
    await cleanup(probeDir);
    tight = await startApi({ MM_DISK_LOW_MB: String(Math.max(0, Math.floor(free / (1 << 20)) - 200)) });
    const send = (file: string) =>
      upload("/api/v2/master", file, { server: tight, fields: { format: "wav24" } });
    const refused = await send(hiRes);
    expect(refused.status).toBe(507);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("insufficient_storage");
    expect(tight.files()).toEqual([]);
    expect(tight.billing.count("reserve")).toBe(0);
    const taken = await send(small);
    expect(taken.status).toBe(202);
    const { id: job_id } = (await taken.json()) as { id: string };
    tight.jobs.cancel(job_id, "test");
  });
});
