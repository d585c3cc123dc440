// A batch as a whole: GET /api/v2/batch/:id/album (the album report of an album batch, measured on the
// delivered files), GET /api/v2/batch/:id/events (every track's progress, batch-events.ts) and
// GET /api/v2/batch/:id/zip (every finished result, plus album.json for an album, streamed as one ZIP in
// bounded memory). Access: the batch token from the batch's 202 (?token= or
// X-Job-Token), or a session/API key of the batch's owner.
import { type Context, Hono } from "hono";
import type { z } from "zod";
import { AppError } from "../../errors";
import { zipStream } from "../../files";
import { batchAlbumReport, batchToken, batchTokenMatches, type JobService, type JobView } from "../../jobs";
import { callerOf } from "../middleware/auth";
import type { ClientIpEnv } from "../middleware/client-ip";
import { batchEvents } from "./batch-events";
import { contentDisposition } from "./download";
import type { RouteDoc } from "./openapi";
import type { AlbumSchema } from "./schemas-album";

type Deps = { jobs: JobService; publicUrl: string };

/** URLs of a batch's report and zip, with its token (for the batch's 202). */
export function batchUrls(d: Deps, batchId: string, jobs: readonly JobView[]) {
  const token = batchToken(jobs.map((j) => d.jobs.accessToken(j.id) ?? ""));
  const base = `${d.publicUrl.replace(/\/+$/, "")}/api/v2/batch/${batchId}`;
  const q = `?token=${encodeURIComponent(token)}`;
  return { album_url: `${base}/album${q}`, zip_url: `${base}/zip${q}` };
}

function authorisedBatch(c: Context, d: Deps): JobView[] {
  const id = (c.req.param("id") ?? "").slice(0, 32);
  const jobs = /^[A-Za-z0-9_-]+$/.test(id) ? d.jobs.listByBatch(id) : [];
  if (jobs.length === 0) throw new AppError("batch_not_found", 404, { id });
  const caller = callerOf(c);
  if (caller.kind === "user" && jobs.every((j) => j.owner_key === caller.ownerKey)) return jobs;
  const token = c.req.query("token") ?? c.req.header("x-job-token") ?? "";
  const tokens = jobs.map((j) => d.jobs.accessToken(j.id) ?? "");
  if (!token || !batchTokenMatches(tokens, token)) throw new AppError("invalid_job_token", 403);
  return jobs;
}

/** The album report of an album batch's jobs (rows as they are now: unfinished tracks have nulls). */
function albumBody(d: Deps, batchId: string, jobs: JobView[]): z.infer<typeof AlbumSchema> {
  const { album, report } = batchAlbumReport(jobs);
  const done = jobs.filter((j) => j.status === "done").length;
  return {
    batch_id: batchId,
    album: true,
    finished: jobs.every((j) => ["done", "failed", "cancelled", "expired"].includes(j.status)),
    tracks_done: done,
    tracks_total: jobs.length,
    style: album?.style ?? null,
    target_lufs: album?.album_target_lufs ?? null,
    ceiling_dbtp: album?.ceiling_dbtp ?? null,
    pre_gain_db: album?.pre_gain_db ?? null,
    album_lufs_before: report?.album_lufs_before ?? null,
    album_lufs_after: report?.album_lufs_after ?? null,
    loudest_error_lu: report?.loudest_error_lu ?? null,
    max_relative_error_lu: report?.max_relative_error_lu ?? null,
    max_true_peak_dbtp: report?.max_true_peak_dbtp ?? null,
    within_spec: report?.within_spec ?? false,
    tracks: jobs.map((j, i) => {
      const r = report?.tracks[i];
      return {
        id: j.id,
        filename: j.original_name,
        status: j.status,
        before_lufs: j.analysis_before?.integrated_lufs ?? null,
        after_lufs: r?.after_lufs ?? null,
        offset_before_lu: r?.offset_before_lu ?? null,
        offset_after_lu: r?.offset_after_lu ?? null,
        relative_error_lu: r?.relative_error_lu ?? null,
        true_peak_dbtp: r?.true_peak_dbtp ?? null,
        lra_before_lu: j.analysis_before?.lra_lu ?? null,
        lra_after_lu: r?.lra_after_lu ?? null,
        duration_s: j.analysis_before?.duration_s ?? null,
      };
    }),
    zip_url: batchUrls(d, batchId, jobs).zip_url,
  };
}

const isAlbum = (jobs: JobView[]) => jobs.some((j) => j.settings.album === true);

/** Names inside the zip: the result names, a repeated one numbered (`name (2).wav`). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : n.replace(/(\.[^.]*)?$/, (ext) => ` (${k})${ext}`);
  });
}

export function batchRoutes(d: Deps): Hono<ClientIpEnv> {
  const r = new Hono<ClientIpEnv>();

  r.get("/api/v2/batch/:id/album", (c) => {
    const jobs = authorisedBatch(c, d);
    const id = jobs[0]?.batch_id as string;
    if (!isAlbum(jobs)) throw new AppError("batch_not_album", 404, { id });
    return c.json(albumBody(d, id, jobs));
  });

  r.get("/api/v2/batch/:id/events", (c) => batchEvents(c, d.jobs, authorisedBatch(c, d)));

  r.get("/api/v2/batch/:id/zip", (c) => {
    const jobs = authorisedBatch(c, d);
    const id = jobs[0]?.batch_id as string;
    const files = jobs.flatMap((j) => {
      const f = j.status === "done" ? d.jobs.resultFile(j.id) : undefined;
      return f ? [{ ...f, finished: j.finished_at }] : [];
    });
    if (files.length === 0) throw new AppError("batch_nothing_ready", 409, { id });
    const names = uniqueNames(files.map((f) => f.name));
    const store = d.jobs.files;
    const entries = files.map((f, i) => ({
      name: names[i] as string,
      // Read twice (CRC, then data): from the data folder, or as two streams from the bucket.
      ...(store.kind === "local" ? { path: f.path } : { open: () => store.stream(f.path) }),
      mtime: new Date(f.finished ?? Date.now()),
    }));
    const album = isAlbum(jobs);
    const report = album
      ? [
          {
            name: "album.json",
            data: new TextEncoder().encode(`${JSON.stringify(albumBody(d, id, jobs), null, 2)}\n`),
          },
        ]
      : [];
    const name = `${album ? "album" : "batch"}-${id}.zip`;
    return new Response(zipStream([...entries, ...report]), {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": contentDisposition(name),
        "Cache-Control": "private, no-store",
      },
    });
  });

  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const BATCH_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/v2/batch/:id/album",
    summary: "An album batch's report, measured on the delivered files (batch token or the owner)",
    query: ["token"],
    ok: { 200: "Album" },
  },
  {
    method: "GET",
    path: "/api/v2/batch/:id/events",
    summary:
      "Server-Sent Events: `state` with every track's progress, on connect and each change, until all are final",
    query: ["token"],
    ok: { 200: "sse" },
    events: "BatchProgress",
  },
  {
    method: "GET",
    path: "/api/v2/batch/:id/zip",
    summary: "Every finished result of a batch as one streamed ZIP (+ album.json for an album)",
    query: ["token"],
    ok: { 200: "zip" },
  },
];
