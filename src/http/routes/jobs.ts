// Reading and steering one job: status, Server-Sent Events, result download, cancel; plus the original's
// paths (/api/master/status|progress|result/:id) as aliases. Every route needs the job's access token.
import { type Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AppError } from "../../errors";
import { isFinal, type JobEvent, type JobService, type JobView } from "../../jobs";
import { callerOf } from "../middleware/auth";
import type { ClientIpEnv } from "../middleware/client-ip";
import { storedFileResponse } from "./download";
import type { RouteDoc } from "./openapi";
import { JobIdParam, TokenQuery } from "./schemas";
import { v } from "./validate";
import { legacyStatus, publicJob } from "./views";

const KEEPALIVE_MS = 15_000;

/** The id and token a request names: "ID" + token from ?token=, X-Job-Token or Bearer; or "ID.TOKEN". */
function credentials(c: Context, raw = c.req.param("id") ?? ""): { id: string; token: string } {
  const [id = "", inline] = raw.split(".", 2);
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return { id, token: inline ?? c.req.query("token") ?? c.req.header("x-job-token") ?? bearer ?? "" };
}

/** The job named by `:id`, if the request carries its token or comes from its signed-in owner. */
export function authorisedJob(c: Context, jobs: JobService): JobView {
  const { id, token } = credentials(c);
  const job = jobs.get(id);
  if (!job) throw new AppError("job_not_found", 404, { id: id.slice(0, 16) });
  const caller = callerOf(c);
  // A session or API key of the owner needs no job token (their own history links, API clients).
  if (caller.kind === "user" && caller.ownerKey === job.owner_key) return job;
  if (!token || !jobs.checkToken(job.id, token)) throw new AppError("invalid_job_token", 403);
  return job;
}

const STATUS_READ = /^\/api\/(?:jobs|master\/status)\/([^/]+)$/;

/**
 * True for a status read (GET /api/jobs/:id, /api/master/status/:id) that carries the job's token and comes
 * from the job's owner: polling one's own jobs is not anonymous use, so the per-IP limit skips it (the
 * original's client polls every job of a batch every 1.2 s).
 */
export function isOwnStatusRead(c: Context, jobs: JobService, ownerKey: string): boolean {
  const m = c.req.method === "GET" ? STATUS_READ.exec(c.req.path) : null;
  if (!m?.[1]) return false;
  let raw: string;
  try {
    raw = decodeURIComponent(m[1]);
  } catch {
    return false;
  }
  const { id, token } = credentials(c, raw);
  const job = token ? jobs.get(id) : undefined;
  return job !== undefined && job.owner_key === ownerKey && jobs.checkToken(job.id, token);
}

async function download(c: Context, jobs: JobService): Promise<Response> {
  const job = authorisedJob(c, jobs);
  if (job.status === "expired") throw new AppError("result_expired", 410, { id: job.id });
  if (job.status !== "done") throw new AppError("job_not_ready", 409, { id: job.id, status: job.status });
  const file = jobs.resultFile(job.id);
  const res = file && (await storedFileResponse(jobs.files, file, c.req.header("range"), c.req.method));
  if (!res) throw new AppError("result_expired", 410, { id: job.id });
  return res;
}

/** SSE: the current state first, then progress/state events, closing after a final state. */
function events(c: Context, jobs: JobService, legacy: boolean): Response {
  const first = authorisedJob(c, jobs);
  return streamSSE(c, async (stream) => {
    const pending: JobEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = jobs.subscribe(first.id, (e) => {
      pending.push(e);
      wake?.();
    });
    stream.onAbort(() => wake?.());
    let seq = 0;
    const send = async (type: string, job: JobView) => {
      const data = legacy ? legacyStatus(c, job) : publicJob(c, job);
      await stream.writeSSE(
        legacy
          ? { data: JSON.stringify(data) }
          : { event: type, data: JSON.stringify(data), id: String(++seq) },
      );
    };
    try {
      const now = jobs.get(first.id) ?? first;
      await send("state", now);
      if (isFinal(now.status)) return;
      while (!stream.aborted) {
        if (pending.length === 0) {
          await new Promise<void>((res) => {
            wake = res;
            setTimeout(res, KEEPALIVE_MS);
          });
          wake = null;
          if (pending.length === 0 && !stream.aborted) await stream.write(": keepalive\n\n");
          continue;
        }
        const e = pending.shift() as JobEvent;
        await send(e.type, e.job);
        if (e.type === "state" && isFinal(e.job.status)) return;
      }
    } finally {
      unsubscribe();
    }
  });
}

export function jobsRoutes(d: { jobs: JobService }): Hono<ClientIpEnv> {
  const r = new Hono<ClientIpEnv>();
  const id = v("param", JobIdParam);
  const token = v("query", TokenQuery);

  r.get("/api/jobs/:id", id, token, (c) => c.json(publicJob(c, authorisedJob(c, d.jobs))));
  r.get("/api/jobs/:id/events", id, token, (c) => events(c, d.jobs, false));
  r.get("/api/jobs/:id/result", id, token, (c) => download(c, d.jobs));
  r.post("/api/jobs/:id/cancel", id, token, (c) => {
    const job = authorisedJob(c, d.jobs);
    return c.json(publicJob(c, d.jobs.cancel(job.id, `http:${c.get("clientIp") ?? "unknown"}`)));
  });

  // The original's paths, for its clients.
  r.get("/api/master/status/:id", id, token, (c) => c.json(legacyStatus(c, authorisedJob(c, d.jobs))));
  r.get("/api/master/progress/:id", id, token, (c) => events(c, d.jobs, true));
  r.get("/api/master/result/:id", id, token, (c) => download(c, d.jobs));
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const JOB_DOCS: RouteDoc[] = [
  { method: "GET", path: "/api/jobs/:id", summary: "Job state", access: "job", ok: { 200: "Job" } },
  {
    method: "GET",
    path: "/api/jobs/:id/events",
    summary: "Server-Sent Events: `state` first, then `progress`/`state` until a final state",
    access: "job",
    ok: { 200: "sse" },
    events: "Job",
  },
  {
    method: "GET",
    path: "/api/jobs/:id/result",
    summary: "Download (Range supported)",
    access: "job",
    ok: { 200: "file", 206: "file" },
  },
  {
    method: "POST",
    path: "/api/jobs/:id/cancel",
    summary: "Cancel a queued or running job",
    access: "job",
    ok: { 200: "Job" },
  },
  {
    method: "GET",
    path: "/api/master/status/:id",
    summary: "Original path: status",
    access: "job",
    ok: { 200: "LegacyStatus" },
  },
  {
    method: "GET",
    path: "/api/master/progress/:id",
    summary: "Original path: SSE, `data:` only, until done or error",
    access: "job",
    ok: { 200: "sse" },
    events: "LegacyStatus",
  },
  {
    method: "GET",
    path: "/api/master/result/:id",
    summary: "Original path: download",
    access: "job",
    ok: { 200: "file", 206: "file" },
  },
];
