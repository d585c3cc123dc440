// Admin: the dashboard — the figures of GET /api/admin/dashboard (users, subscriptions, revenue, queue,
// jobs in 24 h, realtime factor, disk, error rates), 30-day charts of stats_daily (oldest day on the left),
// and the live figures again from the SSE stream /api/admin/dashboard/events while the page is open.

import { $, api, el, fmtMoney, fmtTime, onLangChange, showError, startAdminPage, t } from "/admin/admin.js";
import { barChart, lineChart } from "/lib/plot.js";

let live = null;
let days = [];

const money = (m) =>
  Object.keys(m).length
    ? Object.entries(m)
        .map(([cur, v]) => fmtMoney(Math.round(v * 100), cur))
        .join(" · ")
    : "0";
const pct = (r) => (typeof r === "number" ? `${(r * 100).toFixed(1)} %` : "—");

/** [label key, value text, id] for every figure. */
const figures = (l) => [
  ["webadmin_dash_users_total", String(l.users.total), "fig-users"],
  ["webadmin_dash_users_new", String(l.users.new_30d), "fig-users-new"],
  ["webadmin_dash_users_active", String(l.users.active_30d), "fig-users-active"],
  ["webadmin_dash_banned", String(l.users.banned), "fig-banned"],
  ["webadmin_dash_subs", String(l.subscriptions.active), "fig-subs"],
  ["webadmin_dash_revenue_30d", money(l.revenue.d30), "fig-rev-30d"],
  ["webadmin_dash_revenue_total", money(l.revenue.total), "fig-rev-total"],
  ["webadmin_dash_queue", `${l.jobs.queued} / ${l.jobs.running}`, "fig-queue"],
  ["webadmin_dash_jobs_24h", `${l.jobs.done_24h} / ${l.jobs.failed_24h}`, "fig-jobs-24h"],
  [
    "webadmin_dash_rtf",
    l.realtime_factor_30d === null ? "—" : `×${l.realtime_factor_30d.toFixed(1)}`,
    "fig-rtf",
  ],
  ["webadmin_dash_disk", `${l.disk.free_mb} MB`, "fig-disk"],
  ["webadmin_dash_fail_rate", pct(l.errors.job_failure_rate_24h), "fig-fail-rate"],
  ["webadmin_dash_http_errors", `${l.errors.http_5xx} / ${l.errors.http_requests}`, "fig-http"],
  ["webadmin_dash_maintenance", t(l.maintenance ? "webadmin_yes" : "webadmin_no"), "fig-maintenance"],
];

function renderLive() {
  if (!live) return;
  $("live-at").textContent = fmtTime(live.at);
  $("figures").replaceChildren(
    ...figures(live).map(([key, value, id]) =>
      el(
        "div",
        { class: `card${id === "fig-disk" && live.disk.free_mb < live.disk.low_mb ? " bad" : ""}` },
        el("div", { class: "hint" }, t(key)),
        el("div", { id, class: "figure" }, value),
      ),
    ),
  );
}

function renderCharts() {
  const rows = [...days].reverse();
  const labels = rows.map((d) => d.date.slice(5));
  const css = getComputedStyle(document.body);
  const accent = css.getPropertyValue("--accent").trim() || "#36c";
  lineChart(
    $("chart-jobs"),
    [
      { y: rows.map((d) => d.jobs_done), color: accent, width: 2 },
      { y: rows.map((d) => d.jobs_failed), color: "#c33", width: 2 },
    ],
    { yMin: 0 },
  );
  barChart(
    $("chart-users"),
    rows.map((d) => d.users_new),
    labels,
    { color: accent },
  );
  barChart(
    $("chart-minutes"),
    rows.map((d) => d.audio_minutes),
    labels,
    { color: "#2a8" },
  );
}

function render() {
  renderLive();
  renderCharts();
}

/** The live figures by SSE; the browser reconnects on its own after a drop. */
function follow() {
  const source = new EventSource("/api/admin/dashboard/events");
  source.addEventListener("live", (ev) => {
    live = JSON.parse(ev.data);
    document.body.dataset.live = String(Number(document.body.dataset.live || 0) + 1);
    renderLive();
  });
  addEventListener("pagehide", () => source.close());
}

startAdminPage(async () => {
  try {
    const d = await api("/api/admin/dashboard");
    live = d.live;
    days = d.days;
    render();
  } catch (err) {
    showError({ id: "dash" }, err);
  }
  onLangChange(render);
  addEventListener("resize", renderCharts);
  follow();
});
