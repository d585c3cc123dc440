// The album page /album?id=<batch>&token=<batch token>: every track's progress live from one SSE stream
// (GET /api/v2/batch/:id/events), then the album report measured on the delivered files (GET
// /api/v2/batch/:id/album: loudness before and after per track, kept relative to the loudest, true
// peaks, the verdict) with a chart, the zip of all results, and per track its own result page and
// download when this browser submitted the album (it remembered the tracks' handles) or the owner is
// signed in. A reload resumes from the server's state.
import { $, api, currentUser, fmt, onLangChange, showError, startPage, t } from "/lib/core.js";
import { lineChart } from "/lib/plot.js";
import { albumOf } from "/lib/recent.js";

const BEFORE = "#8a8a8a";
const AFTER = "#5b3cc4";
const FINAL = ["done", "failed", "cancelled", "expired"];

const params = new URLSearchParams(location.search);
const batch = params.get("id") || "";
const token = params.get("token") || "";
// The signed-in owner needs no token (their history links an album by its id alone).
const q = token ? `?token=${encodeURIComponent(token)}` : "";
const base = `/api/v2/batch/${encodeURIComponent(batch)}`;

let progress = null;
let report = null;
let owner = false;
let signedIn = false;
let probed = false;
/** A batch mastered as separate tracks (album=false): progress and downloads, no album report. */
let plain = false;
let events = null;
/** Style id → its name in the page language (GET /api/styles). */
let styleNames = {};
const loadStyles = () =>
  api("/api/styles").then(
    (s) => {
      styleNames = Object.fromEntries(s.list.map((x) => [x.id, x.name]));
    },
    () => {},
  );

/** A signed-in visitor owns the album when its first track opens without a token (no remembered handles). */
async function probeOwner() {
  probed = true;
  const first = progress?.tracks[0];
  if (!signedIn || !first || albumOf(batch)) return;
  owner = await api(`/api/jobs/${encodeURIComponent(first.id)}`).then(
    () => true,
    () => false,
  );
  renderProgress();
}

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
};

/** Links of one track: its own result page and its file, when this browser may open them. */
function trackLinks(track) {
  const known = albumOf(batch)?.tracks.find((x) => x.id === track.id);
  if (track.status !== "done" || (!known && !owner)) return [];
  const handle = known?.handle || track.id;
  const tok = known ? `?token=${encodeURIComponent(handle.split(".")[1] || "")}` : "";
  return [
    el("a", { href: `/job/${encodeURIComponent(handle)}`, textContent: t("web_album_open") }),
    el("a", {
      href: `/api/jobs/${encodeURIComponent(track.id)}/result${tok}`,
      download: "",
      className: "track-download",
      textContent: t("web_album_download_track"),
    }),
  ];
}

function stateText(track) {
  if (track.status === "queued") return t("web_album_queued", { position: track.position ?? "…" });
  if (track.status === "running")
    return t("web_album_running", {
      stage: track.stage ? t(`web_stage_${track.stage}`) : t("web_stage_waiting"),
      percent: Math.round(track.progress * 100),
    });
  if (track.status === "failed") return `${t("web_status_failed")}: ${track.error?.message || ""}`;
  return t(`web_status_${track.status}`);
}

function renderProgress() {
  if (!progress) return;
  $("album").hidden = false;
  const n = progress.tracks.length;
  const done = progress.tracks.filter((x) => x.status === "done").length;
  const overall = progress.tracks.reduce((s, x) => s + (FINAL.includes(x.status) ? 1 : x.progress), 0) / n;
  const bar = $("album-progress");
  bar.value = Math.round(overall * 100);
  bar.setAttribute("aria-valuetext", `${bar.value}%`);
  const status = $("album-status");
  status.dataset.finished = String(progress.finished);
  status.textContent = t(progress.finished ? "web_album_finished" : "web_album_progress", {
    done,
    total: n,
    percent: bar.value,
  });
  const body = $("tracks-body");
  body.replaceChildren();
  progress.tracks.forEach((track, i) => {
    const row = body.insertRow();
    row.dataset.track = track.id;
    row.dataset.status = track.status;
    row.append(el("th", { scope: "row", textContent: `${i + 1}. ${track.filename}` }));
    const state = row.insertCell();
    const p = el("progress", { max: 100, value: track.status === "done" ? 100 : Math.round(track.progress * 100) });
    p.setAttribute("aria-label", `${track.filename}: ${stateText(track)}`);
    state.append(el("span", { className: "state", textContent: stateText(track) }), p);
    state.firstChild.dataset.status = track.status;
    row.insertCell().append(...trackLinks(track));
  });
  const open = progress.tracks.filter((x) => !FINAL.includes(x.status));
  const handles = albumOf(batch)?.tracks;
  $("album-cancel").hidden = open.length === 0 || (!handles && !owner);
  const any = done > 0;
  $("downloads").hidden = !any;
  $("zip").href = `${base}/zip${q}`;
  $("zip-hint").hidden = !any || Boolean(handles) || owner;
  $("zip-hint").textContent = t("web_album_zip_only");
}

function renderReport() {
  // Nothing was delivered (every track cancelled or failed): there is nothing to report on.
  if (!report || report.tracks_done === 0) return;
  $("report").hidden = false;
  $("report-summary").textContent = t("web_album_summary", {
    style: styleNames[report.style] || report.style || "—",
    target: fmt(report.target_lufs),
    before: fmt(report.album_lufs_before),
    after: fmt(report.album_lufs_after),
    ceiling: fmt(report.ceiling_dbtp),
  });
  const verdict = $("report-verdict");
  verdict.dataset.ok = String(report.within_spec);
  verdict.textContent = t(report.within_spec ? "web_album_ok" : "web_album_not_ok", {
    error: fmt(report.max_relative_error_lu, 2),
    loudest: fmt(report.loudest_error_lu, 2),
    tp: fmt(report.max_true_peak_dbtp),
  });
  const body = $("report-body");
  body.replaceChildren();
  report.tracks.forEach((x, i) => {
    const row = body.insertRow();
    row.dataset.track = x.id;
    row.append(el("th", { scope: "row", textContent: `${i + 1}. ${x.filename}` }));
    const signed = (v) => (typeof v === "number" ? `${v > 0 ? "+" : ""}${fmt(v)}` : "—");
    for (const v of [
      fmt(x.before_lufs),
      fmt(x.after_lufs),
      signed(x.offset_before_lu),
      signed(x.offset_after_lu),
      fmt(x.true_peak_dbtp),
      `${fmt(x.lra_before_lu)} → ${fmt(x.lra_after_lu)}`,
    ])
      row.insertCell().textContent = v;
  });
  drawChart();
}

/** Loudness per track, before and after: the shape (which track is quieter) must be the same. */
function drawChart() {
  if (!report || $("report").hidden) return;
  const xs = report.tracks.map((_, i) => i + 1);
  lineChart(
    $("album-chart"),
    [
      // Dashed: where the album kept its shape, the two lines lie on top of each other (offset only).
      { x: xs, y: report.tracks.map((x) => x.before_lufs), color: BEFORE, width: 2, dash: [6, 4] },
      { x: xs, y: report.tracks.map((x) => x.after_lufs), color: AFTER, width: 2.5 },
    ],
    {
      xMin: 0.8,
      xMax: xs.length + 0.2,
      xTicks: xs,
      xFormat: (v) => String(v),
      yFormat: (v) => String(Math.round(v)),
    },
  );
  $("album-chart").dataset.drawn = "1";
}

async function loadReport() {
  try {
    await loadStyles();
    report = await api(`${base}/album${q}`);
    renderReport();
    $("report").dataset.loaded = "1";
  } catch (err) {
    showError(null, err);
  }
}

function follow() {
  events?.close();
  events = new EventSource(`${base}/events${q}`);
  events.addEventListener("state", (e) => {
    showError(null, "");
    progress = JSON.parse(e.data);
    renderProgress();
    if (!probed) probeOwner();
    if (progress.finished) {
      events.close();
      if (!plain) loadReport();
    }
  });
  // EventSource reconnects by itself (the server sends the whole state first); say so meanwhile.
  events.onerror = () => {
    if (!progress?.finished) showError(null, t("web_job_reconnecting"));
  };
}

$("album-cancel").addEventListener("click", async () => {
  const btn = $("album-cancel");
  showError(btn, "");
  btn.disabled = true;
  const handles = albumOf(batch)?.tracks || [];
  try {
    for (const track of progress?.tracks || []) {
      if (FINAL.includes(track.status)) continue;
      const handle = handles.find((x) => x.id === track.id)?.handle || track.id;
      await api(`/api/jobs/${encodeURIComponent(handle)}/cancel`, { method: "POST" });
    }
  } catch (err) {
    showError(btn, err);
  } finally {
    btn.disabled = false;
  }
});

window.addEventListener("resize", () => requestAnimationFrame(drawChart));
onLangChange(async () => {
  await loadStyles();
  renderProgress();
  renderReport();
});

startPage(async () => {
  if (!batch) {
    showError(null, t("web_album_bad_link"));
    return;
  }
  signedIn = Boolean(await currentUser());
  if (!token && !signedIn) {
    showError(null, t("web_album_bad_link"));
    return;
  }
  // Asked once before the stream: a wrong token or a gone batch is said in words (an EventSource only
  // sees "error"); a batch mastered as separate tracks has no album report but its progress shows.
  try {
    await api(`${base}/album${q}`);
  } catch (err) {
    if (err.code !== "batch_not_album") {
      showError(null, err);
      return;
    }
    plain = true;
  }
  follow();
});
