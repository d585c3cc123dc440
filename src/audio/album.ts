// PURE: album mode. The tracks are measured as a whole and share one chain: the same style, the same
// gain staging (set by the loudest track, so a quiet ballad meets the compressors quieter, as it would
// on a console) and per-track loudness targets that keep the input's relative levels while the loudest
// track lands on the album target. The album report compares the delivered files with the inputs.

import type { Analysis } from "./analyze";
import { preGainDb } from "./plan";

/** What the album plan needs of one track: its integrated loudness (null = silent or too short). */
export type AlbumTrackInput = { id: string; integrated_lufs: number | null; duration_s: number };

/** One track's part of the plan: the shared gain staging and its own loudness target. */
export type AlbumTrackPlan = {
  id: string;
  input_lufs: number;
  /** LU below the loudest track (≤ 0), kept on the output. */
  offset_lu: number;
  target_lufs: number;
  pre_gain_db: number;
};

/** What a master of an album track records (its "what changed" report): enough to rebuild the album's. */
export type AlbumChange = Pick<AlbumTrackPlan, "offset_lu" | "target_lufs" | "pre_gain_db"> & {
  album_target_lufs: number;
  ceiling_dbtp: number;
  style: string;
};

/** The album part of one track's master (master() options and its report). */
export function albumChange(plan: AlbumPlan, track: AlbumTrackPlan): AlbumChange {
  return {
    offset_lu: track.offset_lu,
    target_lufs: track.target_lufs,
    pre_gain_db: track.pre_gain_db,
    album_target_lufs: plan.target_lufs,
    ceiling_dbtp: plan.ceiling_dbtp,
    style: plan.style,
  };
}

export type AlbumPlan = {
  version: 1;
  /** The album target: where the loudest track lands. */
  target_lufs: number;
  ceiling_dbtp: number;
  /** The one style every track is mastered with (style=auto is decided once, on the loudest track). */
  style: string;
  /** Gain staging shared by every track (dB), from the loudest track's loudness. */
  pre_gain_db: number;
  loudest: string;
  tracks: AlbumTrackPlan[];
  /** Tracks left out of the plan: no measurable loudness (they fail on their own as audio_silent). */
  unmeasured: string[];
};

/** Fewest tracks an album takes (one track is simply a master). */
export const ALBUM_MIN_TRACKS = 2;
/** Most tracks of one album (the batch limit). */
export const ALBUM_MAX_TRACKS = 10;
/** Relative loudness the delivered tracks must keep, LU (issue 15 point 2). */
export const ALBUM_RELATIVE_TOLERANCE_LU = 0.5;

const r2 = (x: number) => Math.round(x * 100) / 100 + 0;

export function planAlbum(
  tracks: readonly AlbumTrackInput[],
  o: { target_lufs: number; ceiling_dbtp: number; style: string },
): AlbumPlan {
  const measured = tracks.filter(
    (t): t is AlbumTrackInput & { integrated_lufs: number } =>
      t.integrated_lufs !== null && t.integrated_lufs > -70,
  );
  const loudest = measured.reduce<(typeof measured)[number] | null>(
    (a, t) => (a === null || t.integrated_lufs > a.integrated_lufs ? t : a),
    null,
  );
  const top = loudest?.integrated_lufs ?? o.target_lufs;
  const pre = r2(preGainDb(top));
  return {
    version: 1,
    target_lufs: o.target_lufs,
    ceiling_dbtp: o.ceiling_dbtp,
    style: o.style,
    pre_gain_db: pre,
    loudest: loudest?.id ?? "",
    tracks: measured.map((t) => {
      const offset = r2(t.integrated_lufs - top);
      return {
        id: t.id,
        input_lufs: t.integrated_lufs,
        offset_lu: offset,
        target_lufs: r2(o.target_lufs + offset),
        pre_gain_db: pre,
      };
    }),
    unmeasured: tracks.filter((t) => !measured.includes(t as (typeof measured)[number])).map((t) => t.id),
  };
}

export type AlbumReportTrack = {
  name: string;
  status: string;
  before_lufs: number | null;
  after_lufs: number | null;
  /** Input loudness relative to the album's loudest input, LU. */
  offset_before_lu: number | null;
  /** Delivered loudness relative to the loudest delivered track, LU. */
  offset_after_lu: number | null;
  /** offset_after − offset_before: how far the relative level moved, LU. */
  relative_error_lu: number | null;
  true_peak_dbtp: number | null;
  lra_before_lu: number | null;
  lra_after_lu: number | null;
  duration_s: number | null;
};

export type AlbumReport = {
  target_lufs: number;
  ceiling_dbtp: number;
  tracks: AlbumReportTrack[];
  /** The album as one programme: duration-weighted energy mean of the tracks' integrated loudness. */
  album_lufs_before: number | null;
  album_lufs_after: number | null;
  /** The loudest input's delivered loudness minus the target, LU. */
  loudest_error_lu: number | null;
  max_relative_error_lu: number | null;
  max_true_peak_dbtp: number | null;
  /** Every track delivered, relative levels within ALBUM_RELATIVE_TOLERANCE_LU, the loudest on target
   * (± 0.3 LU), every true peak ≤ ceiling. */
  within_spec: boolean;
};

type ReportInput = { name: string; status: string; before: Analysis | null; after: Analysis | null };

function programmeLufs(xs: { lufs: number | null; duration: number | null }[]): number | null {
  let energy = 0;
  let time = 0;
  for (const x of xs) {
    if (x.lufs === null || x.duration === null || x.duration <= 0) continue;
    energy += 10 ** (x.lufs / 10) * x.duration;
    time += x.duration;
  }
  return time > 0 && energy > 0 ? r2(10 * Math.log10(energy / time)) : null;
}

/** The album report from the tracks' measured analyses (input and delivered file). */
export function albumReport(
  o: { target_lufs: number; ceiling_dbtp: number; tolerance_lufs: number },
  tracks: readonly ReportInput[],
): AlbumReport {
  const lufs = (a: Analysis | null) => a?.integrated_lufs ?? null;
  let loudest: ReportInput | null = null;
  for (const t of tracks) {
    const l = lufs(t.before);
    if (l !== null && (loudest === null || l > (lufs(loudest.before) as number))) loudest = t;
  }
  const topIn = loudest ? lufs(loudest.before) : null;
  const topOut = loudest ? lufs(loudest.after) : null;
  const rows: AlbumReportTrack[] = tracks.map((t) => {
    const b = lufs(t.before);
    const a = lufs(t.after);
    const offIn = b !== null && topIn !== null ? r2(b - topIn) : null;
    const offOut = a !== null && topOut !== null ? r2(a - topOut) : null;
    return {
      name: t.name,
      status: t.status,
      before_lufs: b,
      after_lufs: a,
      offset_before_lu: offIn,
      offset_after_lu: offOut,
      relative_error_lu: offIn !== null && offOut !== null ? r2(offOut - offIn) : null,
      true_peak_dbtp: t.after?.true_peak_dbtp ?? null,
      lra_before_lu: t.before?.lra_lu ?? null,
      lra_after_lu: t.after?.lra_lu ?? null,
      duration_s: t.before?.duration_s ?? t.after?.duration_s ?? null,
    };
  });
  const errors = rows.map((r) => r.relative_error_lu).filter((x): x is number => x !== null);
  const peaks = rows.map((r) => r.true_peak_dbtp).filter((x): x is number => x !== null);
  const maxErr = errors.length ? r2(Math.max(...errors.map(Math.abs))) : null;
  const maxTp = peaks.length ? Math.max(...peaks) : null;
  const loudestErr = topOut !== null ? r2(topOut - o.target_lufs) : null;
  const delivered = rows.every((r) => r.after_lufs !== null && r.true_peak_dbtp !== null);
  return {
    target_lufs: o.target_lufs,
    ceiling_dbtp: o.ceiling_dbtp,
    tracks: rows,
    album_lufs_before: programmeLufs(rows.map((r) => ({ lufs: r.before_lufs, duration: r.duration_s }))),
    album_lufs_after: programmeLufs(rows.map((r) => ({ lufs: r.after_lufs, duration: r.duration_s }))),
    loudest_error_lu: loudestErr,
    max_relative_error_lu: maxErr,
    max_true_peak_dbtp: maxTp,
    within_spec:
      rows.length > 0 &&
      delivered &&
      maxErr !== null &&
      maxErr <= ALBUM_RELATIVE_TOLERANCE_LU &&
      loudestErr !== null &&
      Math.abs(loudestErr) <= o.tolerance_lufs &&
      maxTp !== null &&
      maxTp <= o.ceiling_dbtp,
  };
}
