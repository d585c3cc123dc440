// Album batches (POST /api/v2/batch with album=true): one job per track as usual, plus one album plan
// (src/audio/album.ts) the tracks share. The first track to run measures every track still waiting
// and leaves a copy of the plan beside each one's upload (`<input>.album`), so whichever runs next, in
// this process or another, reads the same plan even after the first track's upload is gone; the copy
// is deleted with the upload (naming.ts). With a bucket the tracks' uploads are fetched to plan them and
// the copies are objects beside each upload: nodes race only to write the same measured plan. The batch
// token grants the batch's report and zip.

import { createHash, randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AlbumChange, AlbumPlan } from "../audio";
import { albumChange } from "../audio";
import { AppError, isAppError } from "../errors";
import type { FileStore } from "../files";
import type { JobEngine, JobSettings } from "./engine";
import { tokensMatch } from "./ids";
import type { JobRow, JobStore } from "./store";

/** Where a track's copy of its album's plan lives. */
export const albumPlanPathOf = (inputPath: string): string => `${inputPath}.album`;

function parsePlan(text: string | null): AlbumPlan | null {
  try {
    const plan = JSON.parse(text ?? "") as AlbumPlan;
    return plan.version === 1 ? plan : null;
  } catch {
    return null;
  }
}

const readPlan = async (files: FileStore, ref: string): Promise<AlbumPlan | null> =>
  files.kind === "local" ? parsePlan(readOrNull(ref)) : parsePlan(await files.readText(ref));

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Offers `plan` as a track's copy: kept only when none is there yet. */
async function offerPlan(files: FileStore, ref: string, plan: AlbumPlan): Promise<void> {
  if (files.kind === "local") return offerLocalPlan(ref, plan);
  if (!(await files.stat(ref))) await files.writeText(ref, JSON.stringify(plan));
}

/** Writes `plan` at `path` unless a plan is already there (link(2) creates it whole or not at all). */
function offerLocalPlan(path: string, plan: AlbumPlan): void {
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

type Planning = { store: Pick<JobStore, "listByBatch">; engine: JobEngine; files: FileStore };
type PlanOpts = { signal: AbortSignal; timeoutMs: number; processes?: 1 | 2 };

type Pending = JobRow & { inputPath: string };

/** Album tracks of the batch that still wait for their turn (their uploads are in the store). */
async function pendingTracks(d: Planning, batchId: string): Promise<Pending[]> {
  const rows = d.store
    .listByBatch(batchId)
    .filter(
      (r): r is Pending =>
        r.kind === "master" && (r.status === "queued" || r.status === "running") && r.inputPath !== null,
    );
  const out: Pending[] = [];
  for (const r of rows)
    if (d.files.kind === "local" ? existsSync(r.inputPath) : await d.files.stat(r.inputPath)) out.push(r);
  return out;
}

async function planAndShare(d: Planning, row: JobRow, settings: JobSettings, o: PlanOpts) {
  const rows = await pendingTracks(d, row.batchId as string);
  // A plan a sibling already holds wins (another process planned first): share it, do not re-measure.
  let held: AlbumPlan | null = null;
  for (const r of rows) held ??= await readPlan(d.files, albumPlanPathOf(r.inputPath));
  const planAlbum = d.engine.planAlbum;
  if (!held && !planAlbum) throw new Error("album track without an engine that plans albums");
  let plan = held;
  if (!plan) {
    // Measuring needs every track here; copies of the others' uploads are dropped once measured.
    const others = rows.filter((r) => r.id !== row.id).map((r) => r.inputPath);
    try {
      const tracks = [];
      for (const r of rows) {
        const path = (await d.files.fetch(r.inputPath)) ?? d.files.localPath(r.inputPath);
        tracks.push({ id: r.publicId, path, name: r.originalName });
      }
      plan = await (planAlbum as NonNullable<JobEngine["planAlbum"]>)(tracks, settings, o);
    } finally {
      await d.files.evict(others);
    }
  }
  for (const r of rows) await offerPlan(d.files, albumPlanPathOf(r.inputPath), plan);
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
  let plan = await readPlan(d.files, mine);
  for (let attempt = 0; !plan && attempt < 2; attempt++) {
    let running = inflight.get(batchId);
    if (!running) {
      running = planAndShare(d, row, settings, o).finally(() => inflight.delete(batchId));
      inflight.set(batchId, running);
    }
    try {
      await running;
    } catch (err) {
      // Another track's planning stopped with its own cancel: plan again under our signal.
      if (!(isAppError(err) && err.code === "cancelled") || o.signal.aborted || attempt > 0) throw err;
    }
    plan = await readPlan(d.files, mine);
  }
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
