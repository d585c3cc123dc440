// POST /api/measure and the original's POST /api/v2/analyze: analysis only. The upload is validated here, the analysis runs as a high-priority
// `measure` job in the worker pool (HTTP never runs ffmpeg); we wait for it up to a bound, else answer 202.
import { type Context, Hono } from "hono";
import { AppError } from "../../errors";
import { isFinal, type JobService, type JobView } from "../../jobs";
import { langOf } from "../errors";
import { type CallerEnv, callerOf } from "../middleware/auth";
import { admit, type MasterRoutesDeps, submitAll, tierCapOf, whoSubmits } from "./master";
import type { RouteDoc } from "./openapi";
import { truthy } from "./original-form";
import { receiveAudioForm } from "./upload-form";
import { analyzedBody, publicJob, submittedBody } from "./views";

const MEASURE_PRIORITY = 10;

/** Resolves with the job once it reaches a final state, or with its latest view after `ms`. */
function waitForFinal(jobs: JobService, id: string, ms: number): Promise<JobView> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(jobs.get(id) as JobView);
    };
    const unsubscribe = jobs.subscribe(id, (e) => {
      if (e.type === "state" && isFinal(e.job.status)) finish();
    });
    timer = setTimeout(finish, ms);
    const now = jobs.get(id);
    if (!now || isFinal(now.status)) finish();
  });
}

/** Validates the upload, queues its analysis and waits for it (bounded). */
async function measureUpload(c: Context<CallerEnv>, d: MeasureDeps) {
  const caller = callerOf(c);
  const who = whoSubmits(c);
  d.jobs.assertQueueRoom(who.ownerKey);
  d.tiers?.check(caller, { kind: "measure" });
  const form = await receiveAudioForm(c, d, {
    maxFiles: 1,
    ownerKey: who.ownerKey,
    kind: "measure",
    tierCap: tierCapOf(d, caller),
  });
  // submitAll deletes the upload if the submit is refused (tier, queue full, billing).
  const [submitted] = await submitAll(
    d.jobs,
    form.files,
    (file) => ({
      ...who,
      kind: "measure",
      inputPath: file.path,
      inputBytes: file.bytes,
      originalName: file.originalName,
      settings: {},
      priority: MEASURE_PRIORITY,
      lang: langOf(c),
    }),
    () => admit(d, caller, { ...form, settings: {} }, { kind: "measure" }),
  );
  const job = await waitForFinal(d.jobs, (submitted as JobView).id, d.measureWaitMs);
  if (job.status === "failed") throw new AppError(job.error?.code ?? "internal_error", 422);
  return { job, fields: form.fields };
}

const pending = (c: Context, d: MeasureDeps, job: JobView) =>
  c.json({ ...submittedBody(d, job), pending: true as const }, 202);

type MeasureDeps = MasterRoutesDeps & { measureWaitMs: number };

export function measureRoutes(d: MeasureDeps): Hono<CallerEnv> {
  const r = new Hono<CallerEnv>();
  r.post("/api/measure", async (c) => {
    const { job } = await measureUpload(c, d);
    if (job.status !== "done") return pending(c, d, job);
    const body = submittedBody(d, job);
    return c.json({ job_id: body.job_id, id: job.id, analysis: publicJob(c, job).analysis_before });
  });
  // The original's analyse-only call, in its answer shape.
  r.post("/api/v2/analyze", async (c) => {
    const { job, fields } = await measureUpload(c, d);
    const analysis = publicJob(c, job).analysis_before;
    if (job.status !== "done" || !analysis) return pending(c, d, job);
    return c.json(analyzedBody(analysis, truthy(fields.extended)));
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const MEASURE_DOCS: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/measure",
    summary: "Analyse a file (no mastering)",
    body: "upload",
    ok: { 200: "Measured", 202: "Pending" },
  },
  {
    method: "POST",
    path: "/api/v2/analyze",
    summary: "Analyse a file, in the original's answer shape (`extended=true` adds spectrum and timeline)",
    body: "upload",
    ok: { 200: "Analyzed", 202: "Pending" },
  },
];
