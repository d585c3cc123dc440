// The album report the bot sends once every track of an album batch is final: each track's loudness
// before → after and its place relative to the loudest one, true peaks, the album summary (the same
// albumReport the API's /api/v2/batch/:id/album and the CLI use) and the link to the batch's ZIP.

import { STYLES } from "../audio";
import { errorMessage, type Lang, t } from "../i18n";
import { batchAlbumReport, type JobView } from "../jobs";
import { statusText } from "./report";

const f1 = (x: number | null | undefined): string =>
  typeof x === "number" && Number.isFinite(x) ? x.toFixed(1) : "—";
const signed = (x: number | null | undefined): string =>
  typeof x === "number" && Number.isFinite(x)
    ? `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x).toFixed(1)}`
    : "—";

/** The report text for the album's `jobs` (all final), with `zipLink` to every result at once. */
export function albumReportText(lang: Lang, jobs: readonly JobView[], zipLink: string | null): string {
  const { album, report } = batchAlbumReport(jobs);
  const done = jobs.filter((j) => j.status === "done");
  const lines = [t(lang, "bot_album_report_title", { done: done.length, count: jobs.length })];
  jobs.forEach((j, i) => {
    const r = report?.tracks[i];
    if (j.status !== "done" || !r) {
      const status =
        j.status === "failed"
          ? errorMessage(lang, j.error?.code ?? "internal_error", { id: j.id })
          : statusText(lang, j);
      lines.push(t(lang, "bot_album_report_failed_line", { id: j.id, name: j.original_name, status }));
      return;
    }
    lines.push(
      t(lang, "bot_album_report_line", {
        id: j.id,
        name: j.original_name,
        before: f1(r.before_lufs),
        after: f1(r.after_lufs),
        offset: signed(r.offset_after_lu),
        tp: f1(r.true_peak_dbtp),
      }),
    );
  });
  if (album && report) {
    const style = STYLES.find((s) => s.id === album.style)?.names[lang] ?? album.style;
    lines.push(
      "",
      t(lang, "album_summary", {
        style,
        target: album.album_target_lufs,
        error: f1(report.max_relative_error_lu),
        tp: f1(report.max_true_peak_dbtp),
      }),
    );
  }
  if (zipLink && done.length > 0) lines.push("", t(lang, "bot_album_report_zip", { link: zipLink }));
  return lines.join("\n");
}
