// Album mode's effects: measure every track (loudness only, two ffmpeg processes side by side), decide
// the one style, plan the album (album.ts, pure), then master each track with the shared gain staging
// and its own target. The job system calls measureAlbum and master() per track; the CLI calls masterAlbum.

import { AppError, isAppError } from "../errors";
import { type AlbumPlan, type AlbumReport, albumChange, albumReport, planAlbum } from "./album";
import type { Analysis } from "./analyze";
import type { FlowOptions } from "./flow";
import { LUFS_TOLERANCE, type MasterReport, master, quickLoudness } from "./master";
import { measureForMatch } from "./match-measure";
import { autoFeatures, pickStyle } from "./plan-auto";
import { probe } from "./probe";
import { type MasterSettings, resolveSettings } from "./settings";

/** `name` says which track an error came from (params.track); the path when omitted. */
export type AlbumTrack = { id: string; path: string; name?: string };

/** Adds which track failed to an AppError's params (the message itself stays the usual one). */
function naming<R>(t: AlbumTrack, run: () => Promise<R>): Promise<R> {
  return run().catch((err: unknown) => {
    if (isAppError(err)) err.params.track ??= t.name ?? t.path;
    throw err;
  });
}

type Pass = { signal?: AbortSignal; timeoutMs?: number };

/** Runs `fn` over `items` with at most `lanes` at once; the first failure stops the rest (signal). */
async function eachLimited<T, R>(
  items: readonly T[],
  lanes: number,
  signal: AbortSignal | undefined,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop.signal.aborted) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i, stop.signal);
      } catch (err) {
        stop.abort();
        throw err;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
    if (signal?.aborted) throw new AppError("cancelled", 409);
    return out;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Measures the tracks as one album and plans it. style=auto is decided once, on the loudest track, so
 * the album keeps one sound. A track that cannot be read fails the plan with its own error; a silent one
 * is left out (its job fails audio_silent on its own).
 */
export async function measureAlbum(
  tracks: readonly AlbumTrack[],
  settings: MasterSettings,
  opts: Pass & { processes?: 1 | 2 } = {},
): Promise<AlbumPlan> {
  const measured = await eachLimited(tracks, opts.processes ?? 2, opts.signal, (t, _i, signal) =>
    naming(t, async () => {
      const info = await probe(t.path, { signal });
      const lufs = await quickLoudness(t.path, info, { signal, timeoutMs: opts.timeoutMs });
      return { id: t.id, integrated_lufs: lufs, duration_s: info.duration_s };
    }),
  );
  let loudest: (typeof measured)[number] | null = null;
  for (const m of measured)
    if (
      m.integrated_lufs !== null &&
      (loudest === null || m.integrated_lufs > (loudest.integrated_lufs ?? 0))
    )
      loudest = m;
  let style = settings.style;
  const top = tracks.find((t) => t.id === loudest?.id);
  if (style === "auto" && top) {
    const m = await naming(top, () =>
      measureForMatch(top.path, { signal: opts.signal, timeoutMs: opts.timeoutMs }),
    );
    style = pickStyle(autoFeatures(m)).style as MasterSettings["style"];
  }
  // The target and ceiling are the chosen style's (or the caller's).
  const r = resolveSettings({ ...settings, style });
  return planAlbum(measured, { target_lufs: r.target_lufs, ceiling_dbtp: r.ceiling_dbtp, style: r.style.id });
}

/** One track's settings inside the album: the album's style (auto already decided). */
export function trackSettings(settings: MasterSettings, plan: AlbumPlan): MasterSettings {
  return { ...settings, style: plan.style as MasterSettings["style"] };
}

export type AlbumResult = { plan: AlbumPlan; reports: MasterReport[]; report: AlbumReport };

/**
 * Masters `inputs` into `outputs` (same order) as one album. Tracks run `concurrency` at a time (each
 * with `processes` ffmpeg lanes); the first failure stops the others and is rethrown naming the track.
 */
export async function masterAlbum(
  inputs: readonly string[],
  outputs: readonly string[],
  settings: MasterSettings,
  opts: FlowOptions & { concurrency?: 1 | 2 } = {},
): Promise<AlbumResult> {
  if (inputs.length !== outputs.length) throw new Error("masterAlbum: one output per input");
  const tracks = inputs.map((path, i) => ({ id: String(i), path }));
  const concurrency = opts.concurrency ?? 1;
  const progress = new Array<number>(inputs.length).fill(0);
  const report = (stage: string) =>
    opts.onProgress?.(0.05 + (0.95 * progress.reduce((a, b) => a + b, 0)) / inputs.length, stage);
  opts.onProgress?.(0, "album");
  const plan = await measureAlbum(tracks, settings, {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    processes: opts.processes,
  });
  const reports = await eachLimited(tracks, concurrency, opts.signal, (t, i, signal) =>
    naming(t, async () => {
      const part = plan.tracks.find((p) => p.id === t.id);
      if (!part) throw new AppError("audio_silent", 422);
      return master(t.path, outputs[i] as string, trackSettings(settings, plan), {
        ...opts,
        signal,
        processes: concurrency > 1 ? 1 : opts.processes,
        album: albumChange(plan, part),
        onProgress: (f, stage) => {
          progress[i] = f;
          report(stage);
        },
      });
    }),
  );
  const album = albumReport(
    { target_lufs: plan.target_lufs, ceiling_dbtp: plan.ceiling_dbtp, tolerance_lufs: LUFS_TOLERANCE },
    reports.map((rep, i) => ({
      name: inputs[i] as string,
      status: "done",
      before: rep.before as Analysis,
      after: rep.after,
    })),
  );
  return { plan, reports, report: album };
}
