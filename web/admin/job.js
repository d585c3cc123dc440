// Admin: one job (?id=<public id>) — its line, settings, analysis before and after side by side, the error
// with ffmpeg's stderr tail; cancel (queued/running), retry charged or free (a failed or cancelled job whose
// upload is kept; opens the new job) and delete result (a done job). Each action is audited server-side.
import {
  $,
  api,
  el,
  fmtTime,
  onLangChange,
  query,
  say,
  showError,
  startAdminPage,
  t,
  table,
} from "/admin/admin.js";

let detail = null;

const FACTS = [
  ["webadmin_col_status", (j) => j.status],
  [
    "webadmin_col_stage",
    (j) =>
      [j.stage, j.status === "running" ? `${Math.round(j.progress * 100)} %` : ""].filter(Boolean).join(" "),
  ],
  ["webadmin_col_kind", (j) => j.kind],
  ["webadmin_col_source", (j) => j.source],
  [
    "webadmin_col_user",
    (j) => (j.user ? el("a", { href: `/admin/user?id=${j.user}` }, `#${j.user}`) : j.owner),
  ],
  ["webadmin_col_file", (j) => j.original_name],
  ["webadmin_col_cost", (j) => String(j.cost)],
  ["webadmin_col_attempts", (j) => String(j.attempts)],
  ["webadmin_col_error", (j) => j.error_code || "—"],
  [
    "webadmin_col_duration",
    (j) => (j.audio_duration_s === null ? "—" : `${j.audio_duration_s.toFixed(1)} s`),
  ],
  ["webadmin_col_rtf", (j) => (j.realtime_factor === null ? "—" : `×${j.realtime_factor.toFixed(1)}`)],
  ["webadmin_col_created", (j) => fmtTime(j.created_at)],
  ["webadmin_col_finished", (j) => fmtTime(j.finished_at)],
  ["webadmin_col_expires", (j) => fmtTime(j.expires_at)],
];

const ANALYSIS = [
  "integrated_lufs",
  "lra_lu",
  "true_peak_dbtp",
  "sample_peak_dbfs",
  "rms_dbfs",
  "crest_db",
  "clipped_samples",
  "duration_s",
  "sample_rate",
  "channels",
  "codec",
];

function render() {
  if (!detail) return;
  const j = detail.job;
  $("job").hidden = false;
  $("job-title").textContent = `${t("webadmin_job_title")} #${j.id}`;
  $("facts").replaceChildren(...FACTS.flatMap(([key, f]) => [el("dt", {}, t(key)), el("dd", {}, f(j))]));
  $("settings").textContent = JSON.stringify(detail.settings, null, 2);
  const a = detail.analysis_before || {};
  const b = detail.analysis_after || {};
  const fmt = (v) => (typeof v === "number" ? String(Math.round(v * 100) / 100) : (v ?? ""));
  $("analysis").replaceChildren(
    table(
      [
        { key: "k", label: "webadmin_col_name" },
        { key: "a", label: "webadmin_col_before", num: true },
        { key: "b", label: "webadmin_col_after", num: true },
      ],
      detail.analysis_before || detail.analysis_after
        ? ANALYSIS.map((k) => ({ k, a: fmt(a[k]), b: fmt(b[k]) }))
        : [],
      { id: "analysis-table" },
    ),
  );
  $("error-detail").textContent = detail.error_detail || "—";
  const retryable = (j.status === "failed" || j.status === "cancelled") && j.input_kept;
  $("cancel").disabled = !(j.status === "queued" || j.status === "running");
  $("retry-charge").disabled = !retryable;
  $("retry-free").disabled = !retryable;
  $("delete-result").disabled = j.status !== "done";
}

async function load(id) {
  try {
    detail = await api(`/api/admin/jobs/${encodeURIComponent(id)}`);
    render();
  } catch (err) {
    showError({ id: "job" }, err);
  }
}

/** Runs an action with the buttons off; shows its outcome or error. */
async function act(action) {
  const buttons = [...document.querySelectorAll(".actions button")];
  for (const b of buttons) b.disabled = true;
  showError({ id: "actions" }, "");
  try {
    await action();
  } catch (err) {
    showError({ id: "actions" }, err);
  }
  render();
}

startAdminPage(async () => {
  const id = query().id || "";
  $("cancel").addEventListener("click", () =>
    act(async () => {
      await api(`/api/admin/jobs/${id}/cancel`, { method: "POST" });
      say(t("webadmin_done"));
      await load(id);
    }),
  );
  for (const [button, charge] of [
    ["retry-charge", true],
    ["retry-free", false],
  ])
    $(button).addEventListener("click", () =>
      act(async () => {
        const job = await api(`/api/admin/jobs/${id}/retry`, { json: { charge } });
        location.assign(`/admin/job?id=${job.id}`);
      }),
    );
  $("delete-result").addEventListener("click", () =>
    act(async () => {
      if (!confirm(t("webadmin_job_delete_confirm"))) return;
      await api(`/api/admin/jobs/${id}/result`, { method: "DELETE" });
      say(t("webadmin_done"));
      await load(id);
    }),
  );
  onLangChange(render);
  if (id) await load(id);
});
