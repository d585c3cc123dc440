// Upload endpoints that queue work: POST /api/v2/master (+ the v1 path /api/master), /api/v2/preview and
// /api/v2/batch. Each: stream + validate the upload, one call to jobs.submit, 202 with tokenised URLs.
// With MM_BILLING=on the caller's tier is checked twice: cheaply before the upload is read (a caller out
// of masters or tokens sends no bytes to disk), and in full once it is validated, before any job row.
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import type { Ask, Caller, Tiers } from "../../accounts";
import { ALBUM_MAX_TRACKS, ALBUM_MIN_TRACKS, MAX_REFERENCES } from "../../audio";
import { AppError } from "../../errors";
import { discardFiles } from "../../files";
import {
  type JobKind,
  type JobService,
  type JobSource,
  type JobView,
  type SubmitRequest,
  submitAll,
} from "../../jobs";
import { langOf } from "../errors";
import { type CallerEnv, callerOf } from "../middleware/auth";
import { batchUrls } from "./batch";
import type { RouteDoc } from "./openapi";
import { truthy } from "./original-form";
import { type AudioForm, receiveAudioForm, type TierCap, type UploadDeps } from "./upload-form";
import { submittedBody } from "./views";

export type MasterRoutesDeps = UploadDeps & { jobs: JobService; publicUrl: string; tiers?: Tiers };

/** The owner of a request's jobs: "user:<id>" for a signed-in caller, "ip:<addr>" for a guest. */
export const ownerOf = (c: Context<CallerEnv>): string => callerOf(c).ownerKey;

/** What a submission stores about its caller: owner, user and channel (an API key submits as "api"). */
export function whoSubmits(c: Context<CallerEnv>): Pick<SubmitRequest, "ownerKey" | "userId" | "source"> {
  const caller = callerOf(c);
  const source: JobSource = caller.kind === "user" && caller.via === "api_key" ? "api" : "web";
  return { ownerKey: caller.ownerKey, userId: caller.kind === "user" ? caller.userId : null, source };
}

/** The tier's upload cap for this caller (undefined with billing off). */
export function tierCapOf(d: MasterRoutesDeps, caller: Caller): TierCap | undefined {
  const bytes = d.tiers?.uploadLimitBytes(caller);
  return bytes === undefined || !d.tiers ? undefined : { tier: d.tiers.tierOf(caller).name, bytes };
}

/** The full tier check of a validated form; returns the queue priority the tier gives. */
export function admit(d: MasterRoutesDeps, caller: Caller, form: AudioForm, ask: Ask): number | undefined {
  return d.tiers?.check(caller, {
    ...ask,
    count: form.files.length,
    settings: form.settings,
    bytes: form.files.map((f) => f.bytes),
  }).priority;
}

export { submitAll };

export function masterRoutes(d: MasterRoutesDeps): Hono<CallerEnv> {
  const r = new Hono<CallerEnv>();

  type Received = { caller: Caller; who: ReturnType<typeof whoSubmits>; form: AudioForm };
  const receive = async (
    c: Context<CallerEnv>,
    kind: JobKind,
    batch: boolean,
    references = 0,
  ): Promise<Received> => {
    const caller = callerOf(c);
    const who = whoSubmits(c);
    d.jobs.assertQueueRoom(who.ownerKey); // before the upload is read: a full queue costs no disk
    d.tiers?.check(caller, { kind, batch }); // likewise: out of masters or tokens, nothing is stored
    const form = await receiveAudioForm(c, d, {
      maxFiles: batch ? 10 : 1,
      ownerKey: who.ownerKey,
      kind,
      references,
      tierCap: tierCapOf(d, caller),
    });
    return { caller, who, form };
  };

  /**
   * One job per file of a received form, all or nothing; the tier check runs first and gives the queue
   * priority. `extra` carries what only one route sets (references, the batch id).
   */
  const submitForm = (
    c: Context<CallerEnv>,
    { caller, who, form }: Received,
    ask: Pick<Ask, "kind" | "batch">,
    extra: Pick<SubmitRequest, "referencePaths" | "batchId"> = {},
  ): Promise<JobView[]> => {
    let priority: number | undefined;
    return submitAll(
      d.jobs,
      form.files,
      (f) => ({
        ...who,
        kind: ask.kind,
        inputPath: f.path,
        inputBytes: f.bytes,
        originalName: f.originalName,
        settings: form.settings,
        priority,
        lang: langOf(c),
        ...extra,
      }),
      () => {
        priority = admit(d, caller, form, ask);
      },
    );
  };

  const single =
    (kind: JobKind, references = 0) =>
    async (c: Context<CallerEnv>) => {
      const got = await receive(c, kind, false, references);
      const refPaths = got.form.references.map((f) => f.path);
      const [job] = await submitForm(
        c,
        got,
        { kind },
        refPaths.length ? { referencePaths: refPaths } : {},
      ).catch(async (err: unknown) => {
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
    const got = await receive(c, "master", true);
    // Album mode (album.ts): the field, or `album` in the settings JSON; tracks plan together in the worker.
    const album = truthy(got.form.fields.album) || got.form.settings.album === true;
    const count = got.form.files.length;
    if (album && count < ALBUM_MIN_TRACKS) {
      await discardFiles(got.form.files.map((f) => f.path));
      throw new AppError("album_needs_tracks", 400, { min: ALBUM_MIN_TRACKS, max: ALBUM_MAX_TRACKS, count });
    }
    if (album) got.form.settings = { ...got.form.settings, album: true };
    const batchId = randomUUID().slice(0, 8);
    const submitted = await submitForm(c, got, { kind: "master", batch: true }, { batchId });
    const jobs = submitted.map((job) => ({ ...submittedBody(d, job), filename: job.original_name }));
    const urls = batchUrls(d, batchId, submitted);
    return c.json(
      {
        version: "v2" as const,
        batch: true as const,
        batch_id: batchId,
        album,
        album_url: album ? urls.album_url : null,
        zip_url: urls.zip_url,
        jobs,
      },
      202,
    );
  });

  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const MASTER_DOCS: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/v2/master",
    summary: "Master one file (optionally matched to up to 3 `reference` files)",
    body: "upload",
    references: MAX_REFERENCES,
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/master",
    summary: "Master one file (v1 path)",
    body: "upload",
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/v2/preview",
    summary: "30 s preview",
    body: "upload",
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/v2/batch",
    summary: "Master up to 10 files (`album=true`: as one album — shared chain, relative loudness kept)",
    body: "uploads",
    ok: { 202: "Batch" },
  },
];
