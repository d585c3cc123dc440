// PLACEHOLDER until helper web-result lands the real result module (players with the loudness-matched A/B,
// plots, platform report): the numbers table and a download link. web-result replaces this whole file;
// the call site in web/job.js is `renderResult(container, job, token)`.
import { fmt, t } from "/lib/core.js";

const ROWS = [
  ["web_loudness", (a) => a?.integrated_lufs],
  ["web_lra", (a) => a?.lra_lu],
  ["web_true_peak", (a) => a?.true_peak_dbtp],
  ["web_sample_peak", (a) => a?.sample_peak_dbfs],
  [
    "web_plr",
    (a) =>
      a && a.true_peak_dbtp !== null && a.integrated_lufs !== null
        ? a.true_peak_dbtp - a.integrated_lufs
        : null,
  ],
  ["web_crest", (a) => a?.crest_db],
  ["web_correlation", (a) => a?.stereo_correlation, 2],
  ["web_duration", (a) => a?.duration_s],
];

/** Renders a done job into `container`: before/after numbers and the download link (token may be ""). */
export function renderResult(container, job, token) {
  const table = document.createElement("table");
  table.id = "report";
  const head = table.createTHead().insertRow();
  for (const key of ["", "web_before", "web_after"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = key ? t(key) : "";
    head.append(th);
  }
  const body = table.createTBody();
  for (const [key, get, digits] of ROWS) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = t(key);
    row.append(th);
    row.insertCell().textContent = fmt(get(job.analysis_before), digits ?? 1);
    row.insertCell().textContent = fmt(get(job.analysis_after), digits ?? 1);
  }
  const link = document.createElement("a");
  link.id = "download";
  link.href = `/api/jobs/${encodeURIComponent(job.id)}/result${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  link.download = job.result_name || "";
  link.textContent = t("web_download", { name: job.result_name || "" });
  const p = document.createElement("p");
  p.append(link);
  container.replaceChildren(table, p);
}
