// A done master's extras over loopback HTTP with real ffmpeg: GET /api/jobs/:id/plots (sizes, shape,
// what the pictures show, auth and its errors), the per-platform report in the job answer measured on the
// delivered file, and other formats on demand (POST/GET /api/jobs/:id/formats: encoded from the lossless
// master, measured after encoding, refused for a lossy master); the siblings go when the result expires.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { analyze, platformReport } from "../../../src/audio";
import { JobSchema } from "../../../src/http/routes/schemas";
import { AlternateSchema, AlternatesSchema, PlotsSchema } from "../../../src/http/routes/schemas-plots";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi, until } from "./harness";

type Made = { id: string; token: string; handle: string };

let h: Harness;
let queuedOnly: Harness;
let fx: string;
let wav: string;
let master: Made;
let lossy: Made;

async function submit(on: Harness, settings: Record<string, unknown>): Promise<Made> {
  const res = await fetch(`${on.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "take.wav", data: wav }], { settings: JSON.stringify(settings) }),
  });
  expect(res.status).toBe(202);
  const b = (await res.json()) as { id: string; token: string; job_id: string };
  return { id: b.id, token: b.token, handle: b.job_id };
}
const done = (m: Made) =>
  until(
    `job ${m.id} done`,
    () => h.jobs.get(m.id)?.status,
    (s) => s === "done" || s === "failed",
    120_000,
  );
const getJson = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${h.url}${path}`, init);
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
  };
};

beforeAll(async () => {
  fx = await tempDir();
  // 12 s: quiet first third (×0.4), then full level — an envelope a broken waveform would lose.
  wav = await makeMusic(fx, { durationS: 12 });
  h = await startApi();
  queuedOnly = await startApi({}, { start: false });
  master = await submit(h, { format: "wav24", target_lufs: -14, ceiling_dbtp: -1 });
  lossy = await submit(h, { format: "mp3", target_lufs: -14, ceiling_dbtp: -1 });
  expect(await done(master)).toBe("done");
  expect(await done(lossy)).toBe("done");
});
afterAll(async () => {
  await h?.stop();
  await queuedOnly?.stop();
  await cleanup(fx);
  await cleanup(h.dir);
  await cleanup(queuedOnly.dir);
});

describe("GET /api/jobs/:id/plots", () => {
  it("answers a few KB per track: ~1000 waveform columns, ≤ 600 timeline points, 30 spectrum bands", async () => {
    const res = await fetch(`${h.url}/api/jobs/${master.handle}/plots`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const p = PlotsSchema.parse(JSON.parse(text));
    expect(p.id).toBe(master.id);
    // Both tracks together stay small whatever the track's length (the bounds are in plots.ts).
    expect(text.length).toBeLessThan(40_000);
    for (const t of [p.before, p.after]) {
      expect(JSON.stringify(t).length).toBeLessThan(20_000);
      expect(t.duration_s).toBeCloseTo(12, 1);
      expect(t.waveform.columns).toBeGreaterThanOrEqual(900);
      expect(t.waveform.columns).toBeLessThanOrEqual(1000);
      expect(t.waveform.max).toHaveLength(t.waveform.columns);
      expect(t.loudness.step_s).toBeCloseTo(0.1, 6);
      expect(t.loudness.short_term_lufs.length).toBeGreaterThan(100);
      expect(t.loudness.short_term_lufs.length).toBeLessThanOrEqual(600);
      expect(t.spectrum.hz).toHaveLength(30);
      expect(t.spectrum.db.filter((d) => d !== null).length).toBeGreaterThanOrEqual(29);
    }
    // The input's quiet first third shows in its waveform; the master is louder overall.
    const peakOf = (a: number[]) => Math.max(...a.map(Math.abs));
    const third = Math.floor(p.before.waveform.columns / 3);
    expect(peakOf(p.before.waveform.max.slice(0, third - 10))).toBeLessThan(
      0.6 * peakOf(p.before.waveform.max.slice(third + 10)),
    );
    // The master's short-term loudness sits around its −14 LUFS target in the loud part.
    const tail = p.after.loudness.short_term_lufs.slice(-40).filter((v): v is number => v !== null);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    expect(Math.abs(mean - -14)).toBeLessThan(2);
    const inTail = p.before.loudness.short_term_lufs.slice(-40).filter((v): v is number => v !== null);
    expect(mean).toBeGreaterThan(inTail.reduce((a, b) => a + b, 0) / inTail.length);
  });

  it("needs the job's token (or its owner), like the job itself", async () => {
    const none = await getJson(`/api/jobs/${master.id}/plots`);
    expect(none.status).toBe(403);
    expect(none.body.error?.code).toBe("invalid_job_token");
    const other = await getJson(`/api/jobs/${master.id}/plots?token=${lossy.token}`);
    expect(other.status).toBe(403);
    const unknown = await getJson(`/api/jobs/ZZZZZZ/plots?token=${master.token}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("job_not_found");
    const header = await fetch(`${h.url}/api/jobs/${master.id}/plots`, {
      headers: { "x-job-token": master.token },
    });
    expect(header.status).toBe(200);
  });

  it("answers 409 job_not_ready while the job waits in the queue", async () => {
    const res = await fetch(`${queuedOnly.url}/api/v2/master`, {
      method: "POST",
      body: await form([{ name: "take.wav", data: wav }]),
    });
    const b = (await res.json()) as { job_id: string };
    const r = await fetch(`${queuedOnly.url}/api/jobs/${b.job_id}/plots`, {
      headers: { "accept-language": "ru" },
    });
    expect(r.status).toBe(409);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("job_not_ready");
    expect(body.error.message).toMatch(/ещё не готов/);
  });
});

describe("GET /api/jobs/:id/before", () => {
  it("serves a listening copy of the deleted input at the input's loudness, with ranges", async () => {
    const res = await fetch(`${h.url}/api/jobs/${master.handle}/before`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/flac");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    const file = join(fx, "before.flac");
    await Bun.write(file, await res.arrayBuffer());
    const a = await analyze(file);
    const job = h.jobs.get(master.id);
    const input = job?.analysis_before;
    if (!input) throw new Error("no analysis_before");
    expect(a.duration_s).toBeCloseTo(12, 0);
    expect(Math.abs((a.integrated_lufs as number) - (input.integrated_lufs as number))).toBeLessThanOrEqual(
      0.2,
    );
    const part = await fetch(`${h.url}/api/jobs/${master.handle}/before`, {
      headers: { range: "bytes=0-99" },
    });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(`${h.url}/api/jobs/${master.id}/before`)).status).toBe(403);
  });
});

describe("per-platform report in the job answer", () => {
  it("is computed from the delivered file's measurement (playback.ts), the same numbers the file gives", async () => {
    const { body } = await getJson(`/api/jobs/${master.handle}`);
    const job = JobSchema.parse(body);
    const after = job.analysis_after;
    if (!after) throw new Error("no analysis_after");
    const ids = after.platforms.map((p) => p.id);
    for (const want of ["spotify", "apple", "youtube", "amazon", "tidal", "deezer", "soundcloud"])
      expect(ids.some((id) => id.startsWith(want))).toBe(true);
    expect(after.platforms).toEqual(platformReport(after.integrated_lufs, after.true_peak_dbtp));
    // Download the delivered file and measure it independently of the job.
    const file = join(fx, "delivered.wav");
    await Bun.write(file, await (await fetch(`${h.url}/api/jobs/${master.handle}/result`)).arrayBuffer());
    const measured = await analyze(file);
    expect(measured.integrated_lufs).toBe(after.integrated_lufs);
    expect(measured.true_peak_dbtp).toBe(after.true_peak_dbtp);
    expect(measured.platforms).toEqual(after.platforms);
  });
});

describe("other formats of the same master", () => {
  it("lists the delivered format and encodes another on demand, measured after encoding", async () => {
    const list = await getJson(`/api/jobs/${master.handle}/formats`);
    expect(list.status).toBe(200);
    const all = AlternatesSchema.parse(list.body);
    expect(all.source).toBe("wav24");
    expect(all.reencodable).toBe(true);
    expect(all.formats.find((f) => f.format === "wav24")?.status).toBe("delivered");
    expect(all.formats.find((f) => f.format === "mp3")?.status).toBe("none");

    const early = await fetch(`${h.url}/api/jobs/${master.handle}/formats/mp3`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe("format_not_ready");

    const post = (format: string) =>
      fetch(`${h.url}/api/jobs/${master.handle}/formats`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ format }),
      });
    const started = await post("mp3");
    expect(started.status).toBe(202);
    expect(AlternateSchema.parse(await started.json()).status).toBe("encoding");
    await h.jobs.alternatesIdle();
    const again = await post("mp3");
    expect(again.status).toBe(200);
    const ready = AlternateSchema.parse(await again.json());
    expect(ready.status).toBe("ready");
    expect(ready.url).toBe(`/api/jobs/${master.id}/formats/mp3`);

    const res = await fetch(`${h.url}${ready.url}?token=${master.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(res.headers.get("content-disposition")).toContain("take_master.mp3");
    const mp3 = join(fx, "alt.mp3");
    await Bun.write(mp3, await res.arrayBuffer());
    const a = await analyze(mp3);
    expect(a.codec).toBe("mp3");
    // The lossy ceiling held after decoding, and the loudness is the master's.
    expect(a.true_peak_dbtp as number).toBeLessThanOrEqual(-1);
    expect(Math.abs((a.integrated_lufs as number) - -14)).toBeLessThanOrEqual(0.3);
    expect(a.true_peak_dbtp).toBe(ready.true_peak_dbtp);

    const bad = await post("ogg-vorbis");
    expect(bad.status).toBe(400);
  });

  it("refuses to make other formats from a lossy master", async () => {
    const list = AlternatesSchema.parse((await getJson(`/api/jobs/${lossy.handle}/formats`)).body);
    expect(list.source).toBe("mp3");
    expect(list.reencodable).toBe(false);
    const res = await fetch(`${h.url}/api/jobs/${lossy.handle}/formats`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "en" },
      body: JSON.stringify({ format: "wav24" }),
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("format_source_lossy");
    expect(body.error.message).toMatch(/lossy/);
  });

  it("keeps plots and encodes while the result lives, and deletes them with it", async () => {
    const row = h.jobs.resultFile(master.id);
    if (!row) throw new Error("no result");
    const siblings = [
      `${row.path}.plots.json`,
      `${row.path}.before.flac`,
      `${row.path}.as-mp3`,
      `${row.path}.as-mp3.json`,
    ];
    for (const f of siblings) expect(existsSync(f)).toBe(true);
    // Orphan clean-up keeps what a row references: the siblings are referenced through the result.
    const referenced = h.jobs.retention.referencedPaths();
    for (const f of siblings) expect(referenced.has(f)).toBe(true);
    h.jobs.expireResults(Date.now() + 365 * 86_400_000);
    for (const f of siblings) expect(existsSync(f)).toBe(false);
    const gone = await getJson(`/api/jobs/${master.handle}/plots`);
    expect(gone.status).toBe(410);
    expect(gone.body.error?.code).toBe("result_expired");
  });
});
