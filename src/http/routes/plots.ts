// A done master's extras, with the same access as the job itself (its token, or its signed-in owner):
// the plot data stored when it finished (waveform, short-term loudness, spectrum of input and result),
// and other formats of the same master encoded on demand from the delivered lossless file.
import type { Context } from "hono";
import { Hono } from "hono";
import type { z } from "zod";
import type { FormatId } from "../../audio";
import { AppError } from "../../errors";
import { errorMessage } from "../../i18n";
import type { AlternateState, JobService, JobView } from "../../jobs";
import { langOf } from "../errors";
import type { ClientIpEnv } from "../middleware/client-ip";
import { project } from "../project";
import { storedFileResponse } from "./download";
import { authorisedJob } from "./jobs";
import type { RouteDoc } from "./openapi";
import { JobIdParam, TokenQuery } from "./schemas";
import {
  type AlternateSchema,
  type AlternatesSchema,
  FormatParam,
  FormatRequest,
  PlotsSchema,
} from "./schemas-plots";
import { v } from "./validate";

/** The job, if it is a done master whose result is still there; else the error a reader should see. */
function doneMaster(c: Context, jobs: JobService): JobView {
  const job = authorisedJob(c, jobs);
  if (job.status === "expired") throw new AppError("result_expired", 410, { id: job.id });
  if (job.status !== "done") throw new AppError("job_not_ready", 409, { id: job.id, status: job.status });
  if (job.kind !== "master") throw new AppError("plots_unavailable", 404, { id: job.id });
  return job;
}

function alternateView(c: Context, job: JobView, a: AlternateState): z.infer<typeof AlternateSchema> {
  const ready = a.status === "ready" || a.status === "delivered";
  return {
    format: a.format,
    status: a.status,
    bytes: a.bytes,
    integrated_lufs: a.integrated_lufs,
    true_peak_dbtp: a.true_peak_dbtp,
    error: a.error_code ? { code: a.error_code, message: errorMessage(langOf(c), a.error_code) } : null,
    url: ready ? `/api/jobs/${job.id}/formats/${a.format}` : null,
  };
}

export function plotsRoutes(d: { jobs: JobService }): Hono<ClientIpEnv> {
  const r = new Hono<ClientIpEnv>();
  const token = v("query", TokenQuery);

  r.get("/api/jobs/:id/plots", v("param", JobIdParam), token, async (c) => {
    const job = doneMaster(c, d.jobs);
    const plots = await d.jobs.plotsOf(job.id);
    if (!plots) throw new AppError("plots_unavailable", 404, { id: job.id });
    // Private, but the same for the life of the result: the page may keep it.
    c.header("Cache-Control", "private, max-age=3600");
    return c.json(project(PlotsSchema, { id: job.id, ...(plots as object) } as z.infer<typeof PlotsSchema>));
  });

  r.get("/api/jobs/:id/before", v("param", JobIdParam), token, async (c) => {
    const job = doneMaster(c, d.jobs);
    const file = await d.jobs.beforeAudio(job.id);
    const res = file && (await storedFileResponse(d.jobs.files, file, c.req.header("range"), c.req.method));
    if (!res) throw new AppError("plots_unavailable", 404, { id: job.id });
    return res;
  });

  r.get("/api/jobs/:id/formats", v("param", JobIdParam), token, async (c) => {
    const job = doneMaster(c, d.jobs);
    const all = await d.jobs.alternates(job.id);
    return c.json({
      id: job.id,
      source: all.source,
      reencodable: all.reencodable,
      formats: all.formats.map((a) => alternateView(c, job, a)),
    } satisfies z.infer<typeof AlternatesSchema>);
  });

  r.post("/api/jobs/:id/formats", v("param", JobIdParam), token, v("json", FormatRequest), async (c) => {
    const job = doneMaster(c, d.jobs);
    const { format } = c.req.valid("json");
    const state = await d.jobs.requestAlternate(job.id, format as FormatId);
    return c.json(alternateView(c, job, state), state.status === "encoding" ? 202 : 200);
  });

  r.get("/api/jobs/:id/formats/:format", v("param", FormatParam), token, async (c) => {
    const job = doneMaster(c, d.jobs);
    const format = c.req.valid("param").format as FormatId;
    const file = await d.jobs.alternateFile(job.id, format);
    const res = file && (await storedFileResponse(d.jobs.files, file, c.req.header("range"), c.req.method));
    if (!res) throw new AppError("format_not_ready", 409, { id: job.id, format });
    return res;
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const PLOTS_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/jobs/:id/plots",
    summary:
      "A done master's plot data: waveform, short-term loudness and 1/3-octave spectrum of input and result",
    access: "job",
    ok: { 200: "Plots" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/before",
    summary:
      "A done master's input as a listening copy (FLAC 16 bit, same level) for the before/after players",
    access: "job",
    ok: { 200: "file", 206: "file" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/formats",
    summary: "The formats a done master can be had in, and where each stands",
    access: "job",
    ok: { 200: "Alternates" },
  },
  {
    method: "POST",
    path: "/api/jobs/:id/formats",
    summary: "Encode another format of the same master (from a lossless delivery; measured after encoding)",
    access: "job",
    body: "json",
    input: FormatRequest,
    ok: { 200: "Alternate", 202: "Alternate" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/formats/:format",
    summary: "Download another format once encoded (Range supported)",
    access: "job",
    ok: { 200: "file", 206: "file" },
  },
];
