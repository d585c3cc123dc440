// POST /api/measure and the original's POST /api/v2/analyze: analysis only. The upload is validated here, the analysis runs as a high-priority
// `measure` job in the worker pool (HTTP never runs ffmpeg); we wait for it up to a bound, else answer 202.
import { type Context, Hono } from "hono";
import { AppError } from "../../errors";
import { isFinal, type JobService, type JobView } from "../../jobs";
import { langOf } from "../errors";
import type { ClientIpEnv } from "../middleware/client-ip";
import { type MasterRoutesDeps, ownerOf, submitAll } from "./master";
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
async function measureUpload(c: Context<ClientIpEnv>, d: MeasureDeps) {
  const ownerKey = ownerOf(c);
  d.jobs.assertQueueRoom(ownerKey);
  const form = await receiveAudioForm(c, d, { maxFiles: 1, ownerKey, kind: "measure" });
  // submitAll deletes the upload if the submit is refused (queue full, billing).
  const [submitted] = await submitAll(d.jobs, form.files, (file) => ({
    ownerKey,
    source: "web",
    kind: "measure",
    inputPath: file.path,
    inputBytes: file.bytes,
    originalName: file.originalName,
    settings: {},
    priority: MEASURE_PRIORITY,
    lang: langOf(c),
  }));
  const job = await waitForFinal(d.jobs, (submitted as JobView).id, d.measureWaitMs);
  if (job.status === "failed") throw new AppError(job.error?.code ?? "internal_error", 422);
  return { job, fields: form.fields };
}

const pending = (c: Context, d: MeasureDeps, job: JobView) =>
  c.json({ ...submittedBody(d, job), pending: true as const }, 202);

type MeasureDeps = MasterRoutesDeps & { measureWaitMs: number };

export function measureRoutes(d: MeasureDeps): Hono<ClientIpEnv> {
  const r = new Hono<ClientIpEnv>();
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
