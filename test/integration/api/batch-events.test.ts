// GET /api/v2/batch/:id/events over loopback (real ffmpeg made slow by construction with `-re`, so the
// stream is open long before the album ends): one stream carries every track's state in upload order, from
// queued/running to done, progress never going back, and ends with `finished`. Access as the batch's
// report: its token or nothing (403), an unknown batch 404 in the caller's language. Also the upload form's
// `intensity` and `mix` fields reach the job's settings, and bad values are a precise 400.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { slowFfmpeg } from "../../fixtures/slow-ffmpeg";
import { form, type Harness, readSse, startApi } from "./harness";

type Track = { id: string; filename: string; status: string; progress: number; position: number | null };
type Progress = { batch_id: string; album: boolean; finished: boolean; tracks: Track[] };
type ErrorBody = { error: { code: string; message: string } };

let h: Harness;
let fx = "";
let a = "";
let b = "";

beforeAll(async () => {
  fx = await tempDir("mm-batchev-");
  a = await makeMusic(fx, { durationS: 3, name: "one.wav" });
  b = await makeMusic(fx, { durationS: 3, name: "two.wav" });
  h = await startApi({ MM_FFMPEG: slowFfmpeg(), MM_WORKERS: "1" });
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
  await cleanup(fx);
});

/** The answer's URL on the test's address (MM_PUBLIC_URL may name another host, or none). */
const local = (u: string) => {
  const x = new URL(u, h.url);
  return `${h.url}${x.pathname}${x.search}`;
};

describe("batch events", () => {
  it("streams every track of an album from queued to done, then ends", async () => {
    const body = await form(
      [
        { field: "files", name: "one.wav", data: a },
        { field: "files", name: "two.wav", data: b },
      ],
      { album: "true", intensity: "low" },
    );
    const res = await fetch(`${h.url}/api/v2/batch`, { method: "POST", body });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as { batch_id: string; album_url: string; jobs: { id: string }[] };
    const url = local(batch.album_url).replace("/album?", "/events?");

    const events = await readSse(url, 300_000);
    const states = events.map((e) => e.data as Progress);
    expect(events.every((e) => e.event === "state")).toBe(true);
    expect(states.length).toBeGreaterThan(1);
    const first = states[0] as Progress;
    expect(first.finished).toBe(false);
    expect(first.batch_id).toBe(batch.batch_id);
    expect(first.album).toBe(true);
    expect(first.tracks.map((t) => t.id)).toEqual(batch.jobs.map((j) => j.id));
    expect(first.tracks.map((t) => t.filename)).toEqual(["one.wav", "two.wav"]);
    const last = states.at(-1) as Progress;
    expect(last.finished).toBe(true);
    expect(last.tracks.map((t) => [t.status, t.progress])).toEqual([
      ["done", 1],
      ["done", 1],
    ]);
    // Each track was seen rendering, and its progress never went back.
    for (const [i] of batch.jobs.entries()) {
      const seen = states.map((s) => s.tracks[i] as Track);
      expect(seen.some((t) => t.status === "running")).toBe(true);
      for (let k = 1; k < seen.length; k++)
        expect((seen[k] as Track).progress).toBeGreaterThanOrEqual((seen[k - 1] as Track).progress);
    }
    expect(h.jobs.get(batch.jobs[0]?.id ?? "")?.settings.intensity).toBe("low");

    // Finished: a new stream sends the final state once and ends.
    const again = await readSse(url, 60_000);
    expect(again.map((e) => (e.data as Progress).finished)).toEqual([true]);

    const noToken = await fetch(url.replace(/\?token=.*$/, ""));
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as ErrorBody).error.code).toBe("invalid_job_token");
    const unknown = await fetch(`${h.url}/api/v2/batch/nosuch12/events?token=x`, {
      headers: { "accept-language": "ru" },
    });
    expect(unknown.status).toBe(404);
    const e = ((await unknown.json()) as ErrorBody).error;
    expect(e.code).toBe("batch_not_found");
    expect(e.message).toContain("не найден");
  }, 400_000);

  it("takes intensity and mix as form fields; refuses bad values by name", async () => {
    const ok = await fetch(`${h.url}/api/v2/master`, {
      method: "POST",
      body: await form([{ name: "one.wav", data: a }], { intensity: "high", mix: "70" }),
    });
    expect(ok.status).toBe(202);
    const id = ((await ok.json()) as { id: string }).id;
    expect(h.jobs.get(id)?.settings).toMatchObject({ intensity: "high", mix: 70 });
    h.jobs.cancel(id, "test");

    for (const [fields, word] of [
      [{ intensity: "extreme" }, "intensity"],
      [{ mix: "150" }, "mix"],
      [{ mix: "lots" }, "mix"],
    ] as const) {
      const res = await fetch(`${h.url}/api/v2/master`, {
        method: "POST",
        body: await form([{ name: "one.wav", data: a }], fields),
      });
      expect(res.status).toBe(400);
      const err = ((await res.json()) as ErrorBody).error;
      expect(err.code).toBe("invalid_settings");
      expect(err.message).toContain(word);
    }
  }, 120_000);
});
