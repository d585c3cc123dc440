// The result of a done master, rendered by the job page: before/after players with a loudness-matched A/B
// switch (both play in step, one muted, so a switch keeps the position with no gap; the louder one is
// turned down by the measured difference), waveform, short-term loudness and spectrum of both (plot data
// from GET /api/jobs/:id/plots, drawn by /lib/plot.js), the numbers, what each platform will do with the
// delivered file, what the master changed, the download and other formats on demand.
import { api, fmt, showError, t } from "/lib/core.js";
import { envelopeChart, lineChart, marker } from "/lib/plot.js";
import { clock, el, withToken } from "/lib/dom.js";
import { abPlayer } from "/result-player.js";
import { autoStyleNote, changesData, referenceReport } from "/result-report.js";

const BEFORE = "#8a8a8a";
const AFTER = "#5b3cc4";

/** The result's stylesheet, once per page (pages link only their own CSS). */
function ensureStyles() {
  if (document.querySelector('link[href="/result.css"]')) return;
  document.head.append(el("link", { rel: "stylesheet", href: "/result.css" }));
}

/** Numbers of both files: I, LRA, TP, sample peak, PLR, crest, correlation, duration. */
function numbersTable(job) {
  const plr = (a) =>
    a && a.true_peak_dbtp !== null && a.integrated_lufs !== null
      ? a.true_peak_dbtp - a.integrated_lufs
      : null;
  const rows = [
    ["web_result_integrated", (a) => a?.integrated_lufs],
    ["web_lra", (a) => a?.lra_lu],
    ["web_true_peak", (a) => a?.true_peak_dbtp],
    ["web_result_sample_peak", (a) => a?.sample_peak_dbfs],
    ["web_result_plr", plr],
    ["web_result_crest", (a) => a?.crest_db],
    ["web_result_correlation", (a) => a?.stereo_correlation, 2],
    ["web_duration", (a) => a?.duration_s],
  ];
  const table = el("table", { id: "report", className: "numbers" });
  table.append(el("caption", { textContent: t("web_result_numbers") }));
  const head = table.createTHead().insertRow();
  for (const key of ["web_result_metric", "web_before", "web_after"])
    head.append(el("th", { scope: "col", textContent: t(key) }));
  const body = table.createTBody();
  for (const [key, get, digits] of rows) {
    const row = body.insertRow();
    row.append(el("th", { scope: "row", textContent: t(key) }));
    row.insertCell().textContent = fmt(get(job.analysis_before), digits ?? 1);
    row.insertCell().textContent = fmt(get(job.analysis_after), digits ?? 1);
  }
  return table;
}

/** The per-platform report of the delivered file (the server's numbers and verdicts, playback.ts). */
function platformsTable(job) {
  const list = job.analysis_after?.platforms || [];
  const table = el("table", { id: "platforms", className: "platforms" });
  table.append(el("caption", { textContent: t("web_result_platforms") }));
  const head = table.createTHead().insertRow();
  for (const key of [
    "web_result_platform",
    "web_result_plays_at",
    "web_result_gain",
    "web_result_tp_after",
    "web_result_verdict",
  ])
    head.append(el("th", { scope: "col", textContent: t(key) }));
  const body = table.createTBody();
  const good = new Set(["ok", "turned_down", "turned_up", "compliant", "not_normalized"]);
  for (const p of list) {
    const row = body.insertRow();
    row.dataset.platform = p.id;
    row.dataset.verdict = p.verdict;
    row.append(el("th", { scope: "row", textContent: p.name }));
    row.insertCell().textContent = fmt(p.plays_at_lufs);
    row.insertCell().textContent = `${p.gain_db > 0 ? "+" : ""}${fmt(p.gain_db)}`;
    row.insertCell().textContent = fmt(p.true_peak_after_dbtp);
    const verdict = row.insertCell();
    verdict.className = good.has(p.verdict) ? "ok" : "warn";
    verdict.textContent = t(p.message.key, p.message.params);
  }
  return table;
}

function changesList(job) {
  const messages = job.analysis_after?.changes?.messages || [];
  if (messages.length === 0) return null;
  const ul = el("ul", { id: "changes", className: "changes" });
  for (const m of messages) ul.append(el("li", { textContent: t(m.key, m.params) }));
  return el("section", {}, el("h3", { textContent: t("web_result_changes") }), ul);
}

/** The plots of both files; `at(s)` moves the playhead on the waveforms and the loudness timeline. */
function plotsBlock(plots, seekTo) {
  const legend = el(
    "p",
    { className: "legend" },
    el("span", { className: "key before", textContent: t("web_result_legend_before") }),
    el("span", { className: "key after", textContent: t("web_result_legend_after") }),
  );
  const canvas = (id, label) => {
    const c = el("canvas", { id, className: "plot", role: "img" });
    c.setAttribute("aria-label", label);
    return c;
  };
  const waveB = canvas("plot-wave-before", `${t("web_result_waveform")}: ${t("web_result_legend_before")}`);
  const waveA = canvas("plot-wave-after", `${t("web_result_waveform")}: ${t("web_result_legend_after")}`);
  waveB.classList.add("wave");
  waveA.classList.add("wave");
  const loud = canvas("plot-loudness", t("web_result_timeline"));
  const spec = canvas("plot-spectrum", t("web_result_spectrum"));
  const box = el(
    "section",
    { className: "plots" },
    legend,
    el("h3", { textContent: t("web_result_waveform") }),
    waveB,
    waveA,
    el("h3", { textContent: t("web_result_timeline") }),
    loud,
    el("h3", { textContent: t("web_result_spectrum") }),
    spec,
  );
  let playhead = 0;
  let loudScale = null;
  const draw = () => {
    const wave = (c, p, color) => {
      envelopeChart(c, [{ min: p.waveform.min, max: p.waveform.max, color }], { scale: p.waveform.scale });
      const dur = p.waveform.columns * p.waveform.step_s || 1;
      marker(
        c,
        { sx: (x) => (x / dur) * c.clientWidth, pad: { top: 0, bottom: 0 }, h: c.clientHeight },
        playhead,
        "#c33",
      );
    };
    wave(waveB, plots.before, BEFORE);
    wave(waveA, plots.after, AFTER);
    const yFormat = (v) => String(Math.round(v));
    const xTime = (v) => clock(v);
    loudScale = lineChart(
      loud,
      [
        { y: plots.before.loudness.short_term_lufs, color: BEFORE, width: 1.5 },
        { y: plots.after.loudness.short_term_lufs, color: AFTER, width: 2 },
      ],
      {
        step: plots.after.loudness.step_s,
        x0: plots.after.loudness.step_s,
        xMin: 0,
        yFormat,
        xFormat: xTime,
      },
    );
    marker(loud, loudScale, playhead, "#c33");
    const hz = plots.after.spectrum.hz;
    lineChart(
      spec,
      [
        { x: hz, y: plots.before.spectrum.db, color: BEFORE, width: 1.5 },
        { x: hz, y: plots.after.spectrum.db, color: AFTER, width: 2 },
      ],
      {
        xLog: true,
        xMin: 20,
        xMax: 20000,
        yFormat,
        xFormat: (v) => (v >= 1000 ? `${v / 1000}k` : String(v)),
      },
    );
  };
  // Click (or Enter) on a waveform seeks there.
  for (const c of [waveB, waveA]) {
    c.tabIndex = 0;
    c.addEventListener("click", (e) => {
      const dur = plots.after.waveform.columns * plots.after.waveform.step_s;
      seekTo((e.offsetX / c.clientWidth) * dur);
    });
  }
  let frame = 0;
  const redraw = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  };
  window.addEventListener("resize", redraw);
  return {
    box,
    draw,
    at(s) {
      playhead = s;
      redraw();
    },
  };
}

/** Download of the delivered file and other formats of the same master, encoded on demand. */
function downloads(job, token) {
  const link = el("a", {
    id: "download",
    className: "download",
    href: withToken(`/api/jobs/${job.id}/result`, token),
    download: job.result_name || "",
    textContent: `${t("web_result_download")} ${job.result_name || ""}`,
  });
  const list = el("ul", { id: "formats", className: "formats" });
  const note = el("p", { className: "hint" });
  const error = el("p", { id: "formats-error", className: "error", role: "alert", hidden: true });
  const section = el(
    "section",
    {},
    el("p", {}, link),
    el("h3", { textContent: t("web_result_formats") }),
    note,
    list,
    error,
  );
  const base = `/api/jobs/${encodeURIComponent(job.id)}/formats`;
  const q = token ? `?token=${encodeURIComponent(token)}` : "";
  const size = (b) => (b >= 1048576 ? `${(b / 1048576).toFixed(1)} MB` : `${Math.ceil(b / 1024)} KB`);
  const item = (f) => {
    const li = el("li", { dataset: { format: f.format, status: f.status } });
    if (f.status === "ready") {
      li.append(
        el("a", {
          href: withToken(f.url, token),
          download: "",
          textContent: t("web_result_format_ready", {
            format: f.format,
            size: size(f.bytes || 0),
            lufs: fmt(f.integrated_lufs),
            tp: fmt(f.true_peak_dbtp),
          }),
        }),
      );
    } else if (f.status === "encoding") {
      li.textContent = t("web_result_encoding", { format: f.format });
    } else {
      const b = el("button", {
        type: "button",
        id: `format-${f.format}`,
        textContent: t("web_result_make_format", { format: f.format }),
      });
      b.addEventListener("click", async () => {
        showError(b, "");
        b.disabled = true;
        try {
          await api(`${base}${q}`, { json: { format: f.format } });
          await refresh();
        } catch (err) {
          showError(error, err);
          b.disabled = false;
        }
      });
      li.append(b);
      if (f.error) li.append(el("span", { className: "error", textContent: ` ${f.error.message}` }));
    }
    return li;
  };
  let timer = 0;
  async function refresh() {
    clearTimeout(timer);
    let all;
    try {
      all = await api(`${base}${q}`);
    } catch (err) {
      showError(error, err);
      return;
    }
    if (!document.body.contains(section)) return;
    note.textContent = all.reencodable ? "" : t("web_result_formats_lossy");
    note.hidden = all.reencodable;
    const others = all.reencodable ? all.formats.filter((f) => f.status !== "delivered") : [];
    list.replaceChildren(...others.map(item));
    if (others.some((f) => f.status === "encoding")) timer = setTimeout(refresh, 1000);
  }
  refresh();
  return section;
}

/** Renders a done job into `container`: players, plots, numbers, platforms, changes, downloads. */
export function renderResult(container, job, token) {
  ensureStyles();
  let plots = null;
  const ab = abPlayer(job, token, (s) => plots?.at(s));
  const plotBox = el("div", { id: "plots-box" });
  const plotsError = el("p", { id: "plots-box-error", className: "error", role: "alert", hidden: true });
  const reference = referenceReport(job);
  container.replaceChildren(
    ...[autoStyleNote(job)].filter(Boolean),
    el("h2", { textContent: t("web_result_compare") }),
    ab.box,
    plotBox,
    plotsError,
    numbersTable(job),
    platformsTable(job),
    ...[reference?.box, changesList(job), changesData(job)].filter(Boolean),
    downloads(job, token),
  );
  if (reference) requestAnimationFrame(reference.draw);
  api(withToken(`/api/jobs/${encodeURIComponent(job.id)}/plots`, token))
    .then((data) => {
      if (!document.body.contains(plotBox)) return;
      plots = plotsBlock(data, ab.seekTo);
      plotBox.replaceChildren(plots.box);
      plots.draw();
      container.dataset.plots = "drawn";
    })
    .catch((err) => {
      showError(plotBox, err?.code === "plots_unavailable" ? t("web_result_no_plots") : err);
      container.dataset.plots = "none";
    });
}
