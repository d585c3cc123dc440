// HTTP hygiene on the real service over loopback: security headers on every kind of answer, the
// cross-site upload refusal, and job tokens kept out of the access log.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { CONTENT_SECURITY_POLICY } from "../../../src/http/middleware/security-headers";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { makeMusic, tempDir } from "../../fixtures/audio";
import { listFiles } from "../../fixtures/files";
import { stalledUpload } from "../../fixtures/slow-client";
import { waitFor } from "../../fixtures/wait";

type Submitted = {
  job_id: string;
  id: string;
  token: string;
  handle: string;
  result_url: string;
  events_url: string;
};
type ErrorBody = { error: { code: string; message: string } };

const ALLOWED_ORIGIN = "https://studio.example";
const PUBLIC = "https://mm.example";
let service: RunningService;
let track: Uint8Array;
const logLines: string[] = [];

beforeAll(async () => {
  const dir = await tempDir("mm-hygiene-");
  track = readFileSync(await makeMusic(dir, { durationS: 1 }));
  service = await startService(
    loadConfig({
      PORT: "0",
      MM_DATA_DIR: join(dir, "data"),
      MM_WORKERS: "1",
      MM_PUBLIC_URL: PUBLIC,
      MM_CORS_ORIGINS: ALLOWED_ORIGIN,
      MM_RATE_LIMIT_PER_MIN: "0",
    }),
    createLogger("info", (l) => logLines.push(l)),
  );
}, 60_000);
afterAll(async () => {
  await service?.stop();
});

function upload(headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([track]), "track.wav");
  form.append("style", "standard");
  return fetch(`${service.url}/api/v2/master`, { method: "POST", body: form, headers });
}

const jobCount = () => service.dbh.sqlite.query("SELECT count(*) AS n FROM jobs").get() as { n: number };

async function waitDone(s: Submitted): Promise<void> {
  await waitFor(
    async () => {
      const job = (await (await fetch(`${service.url}/api/jobs/${s.handle}`)).json()) as { status: string };
      if (job.status === "failed" || job.status === "cancelled") throw new Error(`job ${job.status}`);
      return job.status === "done";
    },
    { what: "the job to be done", timeoutMs: 90_000, intervalMs: 200 },
  );
}

function expectSecurityHeaders(res: Response, what: string): void {
  const h: Record<string, string | null> = Object.fromEntries(
    ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"].map((n) => [
      n,
      res.headers.get(n),
    ]),
  );
  const expected: Record<string, string | null> = {
    what,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
  };
  const got: Record<string, string | null> = { what, ...h };
  expect(got).toEqual(expected);
}

describe("security headers", () => {
  it("the CSP forbids inline scripts and styles and framing", () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
  });

  it("are on every page, asset, API answer, error, SSE stream and download", async () => {
    const res = await upload();
    expect(res.status).toBe(202);
    expectSecurityHeaders(res, "202 submit");
    const s = (await res.json()) as Submitted;
    await waitDone(s);
    const local = (u: string) => u.replace(PUBLIC, service.url);
    for (const path of [
      "/",
      "/master.js",
      "/job/AB12CD.x",
      "/style.css",
      "/status",
      "/status.css",
      "/api/health",
      "/nope",
    ]) {
      const r = await fetch(`${service.url}${path}`);
      await r.arrayBuffer();
      expectSecurityHeaders(r, path);
    }
    const dl = await fetch(local(s.result_url));
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toContain("attachment");
    await dl.arrayBuffer();
    expectSecurityHeaders(dl, "download");
    const ranged = await fetch(local(s.result_url), { headers: { Range: "bytes=0-9" } });
    expect(ranged.status).toBe(206);
    await ranged.arrayBuffer();
    expectSecurityHeaders(ranged, "ranged download");
    const sse = await fetch(local(s.events_url));
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    await sse.text(); // the job is done: the stream sends its state and ends
    expectSecurityHeaders(sse, "sse");
  }, 90_000);

  it("the status page links its stylesheet instead of inlining it", async () => {
    const page = await (await fetch(`${service.url}/status`)).text();
    expect(page).not.toMatch(/<style|<script|\son[a-z]+=/i);
    expect(page).toContain('href="/status.css"');
    const css = await fetch(`${service.url}/status.css`);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(await css.text()).toContain(".badge");
  });
});

describe("uploads from another site", () => {
  it("are refused with 403 origin_not_allowed in the caller's language, before anything is stored", async () => {
    const before = jobCount().n;
    for (const [origin, lang, word] of [
      ["https://evil.example", "ru", "отклонён"],
      ["null", "en", "refused"],
      [`${PUBLIC}.evil.example`, "en", "refused"],
    ] as const) {
      const res = await upload({ Origin: origin, "Accept-Language": lang });
      expect(res.status).toBe(403);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("origin_not_allowed");
      expect(body.error.message).toContain(word);
      expectSecurityHeaders(res, `refused ${origin}`);
    }
    expect(jobCount().n).toBe(before);
    expect(listFiles(service.layout.uploads)).toEqual([]);
  });

  it("are refused without reading the body: a foreign upload that never finishes still gets its 403", async () => {
    // The body declares 50 MB and stops after 16 KB; only an answer given before reading it can arrive.
    const up = await stalledUpload(service.url, {
      head: track.subarray(0, 16 * 1024),
      headers: { Origin: "https://evil.example", "Accept-Language": "en" },
    });
    const res = await up.response;
    up.close();
    expect(res.status).toBe(403);
    expect((JSON.parse(res.body) as ErrorBody).error.code).toBe("origin_not_allowed");
    expect(listFiles(service.layout.uploads)).toEqual([]);
  });

  it("are accepted from our own origin, MM_PUBLIC_URL, MM_CORS_ORIGINS and without Origin", async () => {
    for (const origin of [service.url, PUBLIC, ALLOWED_ORIGIN, undefined]) {
      const res = await upload(origin ? { Origin: origin } : {});
      expect({ origin, status: res.status }).toEqual({ origin, status: 202 });
      const s = (await res.json()) as Submitted;
      // Clean up the queue for the next tests; cancel is not an upload but is checked the same way.
      const cancel = await fetch(`${service.url}/api/jobs/${s.handle}/cancel`, {
        method: "POST",
        headers: origin ? { Origin: origin } : {},
      });
      expect(cancel.status).toBe(200);
    }
  }, 60_000);
});

describe("access log", () => {
  it("never contains a job token, whether in a handle, ?token= or a header", async () => {
    const res = await upload();
    const s = (await res.json()) as Submitted;
    const id = s.id;
    logLines.length = 0;
    const requests = [
      `/api/jobs/${id}.${s.token}`,
      `/api/jobs/${id}?token=${encodeURIComponent(s.token)}&lang=ru`,
      `/api/jobs/${id}.${s.token}/events`,
      `/api/master/status/${id}.${s.token}`,
      `/api/jobs/${id}.${s.token}/nonexistent`,
      `/api/jobs/${id}/result?lang=en&token=${encodeURIComponent(s.token)}`,
    ];
    for (const path of requests) {
      const ac = new AbortController();
      const r = await fetch(`${service.url}${path}`, { signal: ac.signal });
      ac.abort(); // the SSE stream would stay open
      await r.body?.cancel().catch(() => undefined);
    }
    await fetch(`${service.url}/api/jobs/${id}/cancel`, {
      method: "POST",
      headers: { "X-Job-Token": s.token },
    });
    const access = () => logLines.filter((l) => l.includes('"http_request"'));
    await waitFor(() => access().length >= requests.length + 1, { what: "an access-log line per request" });
    const lines = access();
    for (const l of logLines) expect(l).not.toContain(s.token);
    const paths = lines.map((l) => JSON.parse(l) as { path: string; query?: string });
    expect(paths.map((p) => p.path)).toContain(`/api/jobs/${id}.<redacted>`);
    expect(paths.map((p) => p.query)).toContain("token=<redacted>&lang=ru");
  });
});
