// Upload endpoints that queue work: POST /api/v2/master (+ the v1 path /api/master), /api/v2/preview and
// /api/v2/batch. Each: stream + validate the upload, one call to jobs.submit, 202 with tokenised URLs.
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { MAX_REFERENCES } from "../../audio";
import { discardFiles, type ReceivedFile } from "../../files";
import type { JobKind, JobService, JobView, SubmitRequest } from "../../jobs";
import { langOf } from "../errors";
import type { ClientIpEnv } from "../middleware/client-ip";
import { receiveAudioForm, type UploadDeps } from "./upload-form";
import { submittedBody } from "./views";

export type MasterRoutesDeps = UploadDeps & { jobs: JobService; publicUrl: string };

/** The owner of an anonymous request (accounts will add "user:<id>" later). */
export const ownerOf = (c: Context<ClientIpEnv>): string => `ip:${c.get("clientIp") ?? "unknown"}`;

/**
 * Submits one job per file, all or nothing: a batch larger than the owner's room in the queue is refused
 * whole (queue_limit_reached) before anything is charged; if billing refuses one, the jobs already queued
 * are cancelled (and refunded); either way every remaining upload is deleted before the error propagates.
 */
export async function submitAll(
  jobs: JobService,
  files: readonly ReceivedFile[],
  toRequest: (f: ReceivedFile) => SubmitRequest,
): Promise<JobView[]> {
  const out: JobView[] = [];
  try {
    const first = files[0];
    if (first) jobs.assertQueueRoom(toRequest(first).ownerKey, files.length);
    for (const f of files) out.push(jobs.submit(toRequest(f)));
    return out;
  } catch (err) {
    for (const j of out) jobs.cancel(j.id, "system:batch_rollback");
    await discardFiles(files.slice(out.length).map((f) => f.path));
    throw err;
  }
}

export function masterRoutes(d: MasterRoutesDeps): Hono<ClientIpEnv> {
  const r = new Hono<ClientIpEnv>();

  const single =
    (kind: JobKind, references = 0) =>
    async (c: Context<ClientIpEnv>) => {
      const ownerKey = ownerOf(c);
      d.jobs.assertQueueRoom(ownerKey); // before the upload is read: a full queue costs no disk
      const form = await receiveAudioForm(c, d, { maxFiles: 1, ownerKey, kind, references });
      const refPaths = form.references.map((f) => f.path);
      const [job] = await submitAll(d.jobs, form.files, (f) => ({
        ownerKey,
        source: "web",
        kind,
        inputPath: f.path,
        inputBytes: f.bytes,
        originalName: f.originalName,
        settings: form.settings,
        lang: langOf(c),
        ...(refPaths.length ? { referencePaths: refPaths } : {}),
      })).catch(async (err: unknown) => {
        // Submit moved them beside the input and removed them on refusal; before that they are still ours.
        await discardFiles(refPaths);
        throw err;
      });
      return c.json(submittedBody(d, job as JobView), 202);
    };

  r.post("/api/v2/master", single("master", MAX_REFERENCES));
  r.post("/api/master", single("master"));
  r.post("/api/v2/preview", single("preview"));

  r.post("/api/v2/batch", async (c) => {
    const ownerKey = ownerOf(c);
    d.jobs.assertQueueRoom(ownerKey);
    const form = await receiveAudioForm(c, d, { maxFiles: 10, ownerKey, kind: "master" });
    const batchId = randomUUID().slice(0, 8);
    const submitted = await submitAll(d.jobs, form.files, (f) => ({
      ownerKey,
      source: "web",
      kind: "master",
      inputPath: f.path,
      inputBytes: f.bytes,
      originalName: f.originalName,
      settings: form.settings,
      lang: langOf(c),
      batchId,
    }));
    const jobs = submitted.map((job) => ({ ...submittedBody(d, job), filename: job.original_name }));
    return c.json({ version: "v2" as const, batch: true as const, batch_id: batchId, jobs }, 202);
  });

  return r;
}
