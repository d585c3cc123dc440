// The album report of an album batch from its jobs as they are now (unfinished tracks have nulls): the
// album's plan as its tracks recorded it and src/audio's albumReport over the measured files. One place
// for the API's /api/v2/batch/:id/album and zip, and the bot's album message.

import { type AlbumChange, type AlbumReport, albumReport, LUFS_TOLERANCE } from "../audio";
import type { JobView } from "./types";

export function batchAlbumReport(jobs: readonly JobView[]): {
  album: AlbumChange | null;
  report: AlbumReport | null;
} {
  const album = jobs.map((j) => j.analysis_after?.changes?.album ?? null).find((a) => a !== null) ?? null;
  const report = album
    ? albumReport(
        {
          target_lufs: album.album_target_lufs,
          ceiling_dbtp: album.ceiling_dbtp,
          tolerance_lufs: LUFS_TOLERANCE,
        },
        jobs.map((j) => ({
          name: j.original_name,
          status: j.status,
          before: j.analysis_before,
          after: j.status === "done" ? j.analysis_after : null,
        })),
      )
    : null;
  return { album, report };
}
