// Album batches (POST /api/v2/batch with album=true): one job per track as usual, plus one album plan
// (src/audio/album.ts) the tracks share. The first track to run measures every track still waiting
// and leaves a copy of the plan beside each one's upload (`<input>.album`), so whichever runs next, in
// this process or another, reads the same plan even after the first track's upload is gone; the copy
// is deleted with the upload (naming.ts). The batch token grants the batch's report and zip.

import { createHash, randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AlbumChange, AlbumPlan } from "../audio";
import { albumChange } from "../audio";
import { AppError, isAppError } from "../errors";
import type { JobEngine, JobSettings } from "./engine";
import { tokensMatch } from "./ids";
import type { JobRow, JobStore } from "./store";

/** Where a track's copy of its album's plan lives. */
export const albumPlanPathOf = (inputPath: string): string => `${inputPath}.album`;

function readPlan(path: string): AlbumPlan | null {
  try {
    const plan = JSON.parse(readFileSync(path, "utf8")) as AlbumPlan;
    return plan.version === 1 ? plan : null;
  } catch {
    return null;
  }
}

/** Writes `plan` at `path` unless a plan is already there (link(2) creates it whole or not at all). */
function offerPlan(path: string, plan: AlbumPlan): void {
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(plan));
    linkSync(tmp, path);
  } catch {
    // Already there (another track wrote it first) or the upload is gone: nothing to add.
  } finally {
    rmSync(tmp, { force: true });
  }
}

type Planning = { store: Pick<JobStore, "listByBatch">; engine: JobEngine };
type PlanOpts = { signal: AbortSignal; timeoutMs: number; processes?: 1 | 2 };

/** Album tracks of the batch that still wait for their turn (their uploads are on disk). */
function pendingTracks(store: Planning["store"], batchId: string): (JobRow & { inputPath: string })[] {
  return store
    .listByBatch(batchId)
    .filter(
      (r): r is JobRow & { inputPath: string } =>
        r.kind === "master" &&
        (r.status === "queued" || r.status === "running") &&
        r.inputPath !== null &&
        existsSync(r.inputPath),
    );
}

async function planAndShare(d: Planning, batchId: string, settings: JobSettings, o: PlanOpts) {
  const rows = pendingTracks(d.store, batchId);
  // A plan a sibling already holds wins (another process planned first): share it, do not re-measure.
  const held = rows.map((r) => readPlan(albumPlanPathOf(r.inputPath))).find((p) => p !== null);
  const planAlbum = d.engine.planAlbum;
  if (!held && !planAlbum) throw new Error("album track without an engine that plans albums");
  const plan =
    held ??
    (await (planAlbum as NonNullable<JobEngine["planAlbum"]>)(
      rows.map((r) => ({ id: r.publicId, path: r.inputPath, name: r.originalName })),
      settings,
      o,
    ));
  for (const r of rows) offerPlan(albumPlanPathOf(r.inputPath), plan);
}

/** One planning per batch at a time in this process; the others wait for it. */
const inflight = new Map<string, Promise<void>>();

/**
 * The album part of an album track's run: its settings with the album's style and its AlbumChange (the
 * shared staging and its own target). Null for any other job. A track left out of the plan (silent)
 * fails audio_silent like a lone silent master.
 */
export async function albumTrackOf(
  d: Planning,
  row: JobRow,
  settings: JobSettings,
  o: PlanOpts,
): Promise<{ settings: JobSettings; album: AlbumChange } | null> {
  if (!settings.album || !row.batchId || !row.inputPath) return null;
  const batchId = row.batchId;
  const mine = albumPlanPathOf(row.inputPath);
  for (let attempt = 0; !existsSync(mine) && attempt < 2; attempt++) {
    let running = inflight.get(batchId);
    if (!running) {
      running = planAndShare(d, batchId, settings, o).finally(() => inflight.delete(batchId));
      inflight.set(batchId, running);
    }
    try {
      await running;
    } catch (err) {
      // Another track's planning stopped with its own cancel: plan again under our signal.
      if (!(isAppError(err) && err.code === "cancelled") || o.signal.aborted || attempt > 0) throw err;
    }
  }
  const plan = readPlan(mine);
  const track = plan?.tracks.find((t) => t.id === row.publicId);
  if (!plan || !track) throw new AppError("audio_silent", 422);
  return {
    settings: { ...settings, style: plan.style as JobSettings["style"] },
    album: albumChange(plan, track),
  };
}

/**
 * The batch's access token: derived from its jobs' tokens (nothing more to store), so whoever got the
 * batch's 202 — which hands out every job token — can read the batch as a whole, and nobody else.
 */
export function batchToken(jobTokens: readonly string[]): string {
  const h = createHash("sha256").update("mm-batch\n");
  for (const t of [...jobTokens].sort()) h.update(`${t}\n`);
  return h.digest("base64url").slice(0, 32);
}

export function batchTokenMatches(jobTokens: readonly string[], token: string): boolean {
  return jobTokens.length > 0 && tokensMatch(batchToken(jobTokens), token);
}
