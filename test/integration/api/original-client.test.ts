// Replays the original's web client request by request against ours (issue 10 point 7): its exact
// multipart fields on POST /api/v2/master, then the 202's job_id used as-is on /api/master/status|progress|
// result; a 10-track batch polled every 1.2 s per job like its batch UI; its analyse-only call; /api/version.
// Real ffmpeg, HTTP over loopback; the delivered files' loudness is measured independently.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";
import { form, type Harness, readSse, startApi } from "./harness";

/** The original's status answer (what its client reads). */
type Status = {
  status: "running" | "done" | "error";
  progress: number;
  message: string;
  error: string | null;
  before_lufs: number | null;
  after_lufs: number | null;
  target_lufs: number | null;
  style: string | null;
};

/** The chain JSON the original's client sends in `config` (GET /api/v2/chain/default's shape there). */
const ORIGINAL_CHAIN = {
  version: "v2",
  style: "house_basic",
  target_lufs: -12,
  modules: [
    { id: "dc_offset", label: "DC", enabled: true, amount: 1 },
    { id: "peak_guard", enabled: true, amount: 1, headroom_db: 0.5 },
    { id: "target_curve", enabled: true, amount: 1, phase_mode: "minimum" },
    { id: "dynamics", enabled: true, amount: 1, knee_db: 6, crossovers: [214, 2230, 10000] },
    { id: "normalize_lufs", enabled: true, amount: 1, target_lufs: -12 },
    { id: "style_eq", enabled: true, amount: 1, style: "house_basic" },
    { id: "exciter", enabled: true, amount: 1, exciter_db: 0.8, mode: "warm", oversample: 2 },
    { id: "imager", enabled: true, amount: 1, width: 1.3 },
    { id: "reverb", enabled: false, amount: 1, type: "plate" },
  ],
  dither_type: "tpdf",
  auto_blank_sec: 0,
};

/** Every field its client posts for one file (wav + bitrate: the original ignores bitrate for lossless). */
const originalFields = (target: string) => ({
  style: "house_basic",
  target_lufs: target,
  out_format: "wav",
  bitrate: "320",
  dither_type: "tpdf",
  auto_blank_sec: "0",
  config: JSON.stringify({ ...ORIGINAL_CHAIN, target_lufs: Number(target) }),
});

const POLL_MS = 1200;

let fx: string;
let track: string;

beforeAll(async () => {
  fx = await tempDir();
  track = await makeMusic(fx, { durationS: 3 });
});
afterAll(async () => {
  await cleanup(fx);
});

describe("the original's client, single file", () => {
  let h: Harness;
  beforeAll(async () => {
    // The default per-IP limit, as a fresh install runs it.
    h = await startApi({ MM_RATE_LIMIT_PER_MIN: "120", MM_WORKERS: "1" });
  });
  afterAll(async () => {
    await h.stop();
    await cleanup(h.dir);
  });

  it("POST /api/v2/master → status → SSE progress → result, with the 202's job_id as-is", async () => {
    const res = await fetch(`${h.url}/api/v2/master`, {
      method: "POST",
      body: await form([{ name: "Трек 1.wav", data: track }], originalFields("-12")),
    });
    expect(res.status).toBe(202);
    const sub = (await res.json()) as { job_id: string; status: string; version: string };
    expect(sub.version).toBe("v2");
    expect(sub.job_id).toMatch(/^[2-9A-Z]{6}\.[\w-]{43}$/);

    const first = await fetch(`${h.url}/api/master/status/${sub.job_id}`);
    expect(first.status).toBe(200);
    expect(["running", "done"]).toContain(((await first.json()) as Status).status);

    const events = await readSse(`${h.url}/api/master/progress/${sub.job_id}`, 180_000);
    expect(events.every((e) => e.event === "message")).toBe(true); // data-only, as its EventSource expects
    const statuses = events.map((e) => e.data as Status);
    expect(statuses.at(-1)?.status).toBe("done");
    for (const s of statuses) expect(s.progress).toBeGreaterThanOrEqual(0);
    expect(statuses.map((s) => s.progress)).toEqual(
      [...statuses.map((s) => s.progress)].sort((a, b) => a - b),
    );

    const done = (await (await fetch(`${h.url}/api/master/status/${sub.job_id}`)).json()) as Status;
    expect(done).toMatchObject({
      status: "done",
      progress: 100,
      error: null,
      target_lufs: -12,
      style: "house",
    });
    expect(done.before_lufs).toBeLessThan(-14);

    const result = await fetch(`${h.url}/api/master/result/${sub.job_id}`);
    expect(result.status).toBe(200);
    expect(result.headers.get("content-disposition")).toContain("attachment");
    const out = `${fx}/single.wav`;
    await Bun.write(out, result);
    const m = await measure(out);
    expect(Math.abs(m.lufs - -12)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.lufs - (done.after_lufs ?? Number.NaN))).toBeLessThanOrEqual(0.2);
    expect(m.tp).toBeLessThanOrEqual(-0.9);
  });

  it("shows a refusal's reason in detail (what its client displays), in the caller's language", async () => {
    const res = await fetch(`${h.url}/api/v2/master`, {
      method: "POST",
      headers: { "accept-language": "ru" },
      body: await form(
        [{ name: "notes.wav", data: new Blob(["not audio at all, just text"]) }],
        originalFields("-14"),
      ),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { detail: string; error: { message: string } };
    expect(body.detail).toBe(body.error.message);
    expect(body.detail).toMatch(/[а-я]/i);
    expect(body.detail).not.toBe("Bad Request");
  });

  it("POST /api/v2/analyze answers the original's analysis shape", async () => {
    const res = await fetch(`${h.url}/api/v2/analyze`, {
      method: "POST",
      body: await form([{ name: "a.wav", data: track }], { extended: "true" }),
    });
    expect(res.status).toBe(200);
    const a = (await res.json()) as {
      version: string;
      lufs: number;
      peak_dbfs: number;
      duration_sec: number;
      sample_rate: number;
      channels: number;
      stereo_correlation: number | null;
      streaming_preview: Record<
        string,
        { target_lufs: number; penalty_db: number; gain_applied_db: number; status: string }
      >;
      spectrum_bars: number[];
      lufs_timeline: (number | null)[];
    };
    const m = await measure(track);
    expect(a.version).toBe("v2");
    expect(Math.abs(a.lufs - m.lufs)).toBeLessThanOrEqual(0.2);
    expect(a.duration_sec).toBeCloseTo(3, 1);
    expect(a).toMatchObject({ sample_rate: 44100, channels: 2 });
    expect(Object.keys(a.streaming_preview)).toEqual([
      "Spotify",
      "YouTube",
      "Apple Music",
      "Tidal",
      "Amazon Music",
      "Broadcast (EBU R128)",
    ]);
    // A quiet track (≈ −19 LUFS) costs no penalty on Spotify; Spotify would turn nothing down.
    expect(a.streaming_preview.Spotify).toMatchObject({
      target_lufs: -14,
      penalty_db: 0,
      gain_applied_db: 0,
    });
    expect(a.streaming_preview["Broadcast (EBU R128)"]?.target_lufs).toBe(-23);
    expect(a.spectrum_bars).toHaveLength(64);
    expect(a.lufs_timeline.length).toBeGreaterThan(0);
  });

  it("GET /api/version answers {version, build_date}", async () => {
    const v = (await (await fetch(`${h.url}/api/version`)).json()) as { version: string; build_date: string };
    expect(v.version).toBe("test");
    expect(v.build_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("the original's client, a batch of 10 polled every 1.2 s", () => {
  let h: Harness;
  const LIMIT = 15;
  beforeAll(async () => {
    // A limit below what the client sends (POST + ≥ 10 polls + 10 downloads ≥ 21 requests), above what counts
    // once its own status polls are free (POST + 10 downloads = 11): a 429 here means polls were counted.
    h = await startApi({
      MM_RATE_LIMIT_PER_MIN: String(LIMIT),
      MM_WORKERS: "2",
      MM_TRUSTED_PROXIES: "127.0.0.1",
    });
  });
  afterAll(async () => {
    await h.stop();
    await cleanup(h.dir);
  });

  it("masters all ten without a single 429, and another client's reads still count", async () => {
    const files = Array.from({ length: 10 }, (_, i) => ({
      field: "files[]",
      name: `track${i + 1}.wav`,
      data: track,
    }));
    const res = await fetch(`${h.url}/api/v2/batch`, {
      method: "POST",
      body: await form(files, originalFields("-14")),
    });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as { batch: boolean; jobs: { job_id: string; filename: string }[] };
    expect(batch.jobs).toHaveLength(10);

    const statuses: number[] = [];
    const done = new Set<string>();
    const deadline = Date.now() + 600_000;
    let polls = 0;
    while (done.size < batch.jobs.length) {
      if (Date.now() > deadline) throw new Error(`batch not done: ${done.size}/10 after ${polls} polls`);
      for (const j of batch.jobs) {
        if (done.has(j.job_id)) continue;
        const r = await fetch(`${h.url}/api/master/status/${j.job_id}`);
        polls++;
        statuses.push(r.status);
        if (r.status !== 200) continue;
        const s = (await r.json()) as Status;
        if (s.status === "error") throw new Error(`${j.filename} failed: ${s.error}`);
        if (s.status === "done") done.add(j.job_id);
      }
      if (done.size < batch.jobs.length) await Bun.sleep(POLL_MS);
    }
    for (const j of batch.jobs) {
      const r = await fetch(`${h.url}/api/master/result/${j.job_id}`);
      statuses.push(r.status);
      expect(r.status).toBe(200);
      const out = `${fx}/${j.filename}`;
      await Bun.write(out, r);
      expect(Math.abs((await measure(out)).lufs - -14)).toBeLessThanOrEqual(0.5);
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(polls + batch.jobs.length + 1).toBeGreaterThan(LIMIT);

    // The same reads from another address (not the owner) are anonymous use and hit the limit.
    const other = { "x-forwarded-for": "10.9.8.7" };
    const first = batch.jobs[0]?.job_id ?? "";
    const seen: number[] = [];
    for (let i = 0; i <= LIMIT; i++)
      seen.push((await fetch(`${h.url}/api/master/status/${first}`, { headers: other })).status);
    expect(seen.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(seen.at(-1)).toBe(429);
    // A poll with a wrong token is counted for the owner's address too (guessing is not free): within
    // 2 × LIMIT + 2 quick tries a 429 must come, even if a one-minute window turns over in between.
    const wrongUrl = `${h.url}/api/master/status/${first.split(".")[0]}.${"x".repeat(43)}`;
    const wrong: number[] = [];
    while (!wrong.includes(429) && wrong.length < 2 * LIMIT + 2) wrong.push((await fetch(wrongUrl)).status);
    expect(wrong.at(-1)).toBe(429);
    expect(wrong.slice(0, -1).every((s) => s === 403)).toBe(true);
  });
});
