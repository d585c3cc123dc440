// Reading and steering one job: status, Server-Sent Events, result download, cancel; plus the original's
// paths (/api/master/status|progress|result/:id) as aliases. Every route needs the job's access token.
import { type Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AppError } from "../../errors";
import { errorMessage, t } from "../../i18n";
import { isFinal, type JobEvent, type JobService, type JobView } from "../../jobs";
import { langOf } from "../errors";
import type { ClientIpEnv } from "../middleware/client-ip";
import { fileResponse } from "./download";
import { JobIdParam, TokenQuery } from "./schemas";
import { v } from "./validate";

const KEEPALIVE_MS = 15_000;

/** The job named by `:id` ("ID" + token from ?token=, X-Job-Token or Bearer; or "ID.TOKEN"). */
function authorisedJob(c: Context, jobs: JobService): JobView {
  const raw = c.req.param("id") ?? "";
  const [id = "", inline] = raw.split(".", 2);
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const token = inline ?? c.req.query("token") ?? c.req.header("x-job-token") ?? bearer ?? "";
  const job = jobs.get(id);
  if (!job) throw new AppError("job_not_found", 404, { id: id.slice(0, 16) });
  if (!token || !jobs.checkToken(job.id, token)) throw new AppError("invalid_job_token", 403);
  return job;
}

/** The view with its error translated for the caller. */
function withMessage(c: Context, job: JobView) {
  const lang = langOf(c);
  return {
    ...job,
    error: job.error ? { code: job.error.code, message: errorMessage(lang, job.error.code) } : null,
  };
}

/** The original's status shape (running|done|error, 0–100), kept for its clients, plus our fields. */
function legacyStatus(c: Context, job: JobView) {
  const status = job.status === "done" ? "done" : isFinal(job.status) ? "error" : "running";
  const before = job.analysis_before as { integrated_lufs?: number } | null;
  const after = job.analysis_after as { integrated_lufs?: number } | null;
  return {
    status,
    progress: Math.round(job.progress * 100),
    message: job.stage ?? t(langOf(c), `job_state_${job.status}`),
    error: job.error ? t(langOf(c), job.error.code) : null,
    before_lufs: before?.integrated_lufs ?? null,
    after_lufs: after?.integrated_lufs ?? null,
    target_lufs: job.settings.target_lufs ?? null,
    style: job.settings.style ?? null,
    job: withMessage(c, job),
  };
}

function download(c: Context, jobs: JobService): Response {
  const job = authorisedJob(c, jobs);
  if (job.status === "expired") throw new AppError("result_expired", 410, { id: job.id });
  if (job.status !== "done") throw new AppError("job_not_ready", 409, { id: job.id, status: job.status });
  const file = jobs.resultFile(job.id);
  if (!file) throw new AppError("result_expired", 410, { id: job.id });
  return fileResponse(file, c.req.header("range"), c.req.method);
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
      const data = legacy ? legacyStatus(c, job) : withMessage(c, job);
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

  r.get("/api/jobs/:id", id, token, (c) => c.json(withMessage(c, authorisedJob(c, d.jobs))));
  r.get("/api/jobs/:id/events", id, token, (c) => events(c, d.jobs, false));
  r.get("/api/jobs/:id/result", id, token, (c) => download(c, d.jobs));
  r.post("/api/jobs/:id/cancel", id, token, (c) => {
    const job = authorisedJob(c, d.jobs);
    return c.json(withMessage(c, d.jobs.cancel(job.id, `http:${c.get("clientIp") ?? "unknown"}`)));
  });

  // The original's paths, for its clients.
  r.get("/api/master/status/:id", id, token, (c) => c.json(legacyStatus(c, authorisedJob(c, d.jobs))));
  r.get("/api/master/progress/:id", id, token, (c) => events(c, d.jobs, true));
  r.get("/api/master/result/:id", id, token, (c) => download(c, d.jobs));
  return r;
}
