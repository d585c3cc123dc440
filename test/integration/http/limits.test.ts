// Per-IP caps and the minimum upload rate over real loopback HTTP: a stalled upload is cut and its partial
// file removed; too many concurrent uploads or open SSE streams answer 429; failed stream lookups (unknown
// ids) count against the request limit while streams of one's own job do not.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync, watch } from "node:fs";
import { makeMusic, tempDir } from "../../fixtures/audio";
import { stalledUpload } from "../../fixtures/slow-client";
import { waitFor } from "../../fixtures/wait";
import { type Harness, startApi } from "../api/harness";

type ErrorBody = { error: { code: string; message: string } };
type Submitted = { job_id: string; token: string; handle: string };

const harnesses: Harness[] = [];
let track: Uint8Array;
beforeAll(async () => {
  track = readFileSync(await makeMusic(await tempDir("mm-limits-"), { durationS: 1 }));
}, 30_000);
afterAll(async () => {
  for (const h of harnesses) await h.stop();
});

async function api(env: Record<string, string>, start = true): Promise<Harness> {
  const h = await startApi(env, { start });
  harnesses.push(h);
  return h;
}

function upload(h: Harness): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([track]), "track.wav");
  return fetch(`${h.url}/api/v2/master`, { method: "POST", body: form });
}

/** Opens an SSE stream and waits for its first event; returns the response and a closer. */
async function openStream(url: string): Promise<{ res: Response; close: () => void }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  if (res.status === 200) {
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("event: state");
  }
  return { res, close: () => ac.abort() };
}

describe("minimum upload rate", () => {
  it("cuts a body that stops arriving with 408 upload_too_slow and removes its partial file", async () => {
    const h = await api({ MM_UPLOAD_MIN_KBPS: "1", MM_UPLOAD_RATE_WINDOW_S: "1" });
    const created: string[] = [];
    // inotify queues the creation even if the file is gone again by the time we look.
    const watcher = watch(h.layout.uploads, (_event, name) => {
      if (name?.endsWith(".upload")) created.push(name);
    });
    try {
      // 16 KB is well above 1 KB in the first window, then the client sends nothing, ever.
      const up = await stalledUpload(h.url, {
        head: track.subarray(0, 16 * 1024),
        headers: { "Accept-Language": "ru" },
      });
      const res = await up.response;
      up.close();
      expect(res.status).toBe(408);
      const body = JSON.parse(res.body) as ErrorBody;
      expect(body.error.code).toBe("upload_too_slow");
      expect(body.error.message).toContain("КБ/с");
      await waitFor(() => created.length > 0, { what: "the partial file's creation event" });
      expect(h.files()).toEqual([]);
      expect(h.jobs.counts().total).toBe(0);
    } finally {
      watcher.close();
    }
  }, 30_000);

  it("leaves an upload that keeps arriving alone", async () => {
    const h = await api({ MM_UPLOAD_MIN_KBPS: "1", MM_UPLOAD_RATE_WINDOW_S: "1" });
    const res = await upload(h);
    expect(res.status).toBe(202);
  }, 30_000);
});

describe("per-IP caps", () => {
  it("a second concurrent upload from the same IP answers 429 too_many_uploads until the first ends", async () => {
    const h = await api({ MM_UPLOADS_PER_IP: "1", MM_UPLOAD_RATE_WINDOW_S: "600" });
    const first = await stalledUpload(h.url, { head: track.subarray(0, 16 * 1024) });
    await waitFor(() => h.files().length === 1, { what: "the first upload's partial file" });
    const res = await upload(h);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as ErrorBody).error.code).toBe("too_many_uploads");
    expect(h.files().length).toBe(1);
    // The client gives up: its upload is aborted, its file removed, and the slot is free again.
    first.close();
    await waitFor(() => h.files().length === 0, { what: "the aborted upload's clean-up" });
    await waitFor(async () => (await upload(h)).status === 202, { what: "an upload accepted again" });
  }, 30_000);

  it("a third open SSE stream from the same IP answers 429 too_many_streams until one closes", async () => {
    // A pool that is not started keeps the job queued, so its streams stay open by construction.
    const h = await api({ MM_SSE_PER_IP: "2" }, false);
    const s = (await (await upload(h)).json()) as Submitted;
    const url = `${h.url}/api/jobs/${s.handle}/events`;
    const a = await openStream(url);
    const b = await openStream(url);
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const c = await openStream(url);
    expect(c.res.status).toBe(429);
    expect(Number(c.res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await c.res.json()) as ErrorBody;
    expect(body.error.code).toBe("too_many_streams");
    expect(body.error.message).toContain("2");
    // Other requests are not affected by the stream cap.
    expect((await fetch(`${h.url}/api/jobs/${s.handle}`)).status).toBe(200);
    a.close();
    let again: Awaited<ReturnType<typeof openStream>> | null = null;
    await waitFor(
      async () => {
        again?.close();
        again = await openStream(url);
        return again.res.status === 200;
      },
      { what: "a stream slot freed by the closed stream" },
    );
    b.close();
    (again as { close: () => void } | null)?.close();
  }, 30_000);
});

describe("request limit and SSE", () => {
  it("unknown ids looked up through /events count against the limit; one's own streams do not", async () => {
    const h = await api({ MM_RATE_LIMIT_PER_MIN: "3" }, false);
    const s = (await (await upload(h)).json()) as Submitted; // request 1 of 3
    // Streams of a job one holds the token of are free, however many.
    for (let i = 0; i < 5; i++) {
      const st = await openStream(`${h.url}/api/jobs/${s.handle}/events`);
      expect(st.res.status).toBe(200);
      st.close();
    }
    const unknown = (id: string) => fetch(`${h.url}/api/jobs/${id}/events?token=${"g".repeat(43)}`);
    const statuses: number[] = [];
    for (const id of ["ZZZZZZ", "YYYYYY", "XXXXXX"]) {
      const r = await unknown(id);
      statuses.push(r.status);
      if (r.status === 429) {
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(((await r.json()) as ErrorBody).error.code).toBe("rate_limited");
      } else await r.arrayBuffer();
    }
    expect(statuses).toEqual([404, 404, 429]);
    // The limit is shared with every other request of that IP …
    expect((await fetch(`${h.url}/api/styles`)).status).toBe(429);
    // … but a client watching its own job is not locked out.
    const st = await openStream(`${h.url}/api/jobs/${s.handle}/events`);
    expect(st.res.status).toBe(200);
    st.close();
  }, 30_000);
});
