// The result of a done master, rendered by the job page: before/after players with a loudness-matched A/B
// switch (both play in step, one muted, so a switch keeps the position with no gap; the louder one is
// turned down by the measured difference), waveform, short-term loudness and spectrum of both (plot data
// from GET /api/jobs/:id/plots, drawn by /lib/plot.js), the numbers, what each platform will do with the
// delivered file, what the master changed, the download and other formats on demand.
import { api, fmt, showError, t } from "/lib/core.js";
import { envelopeChart, lineChart, marker } from "/lib/plot.js";
import { autoStyleNote, changesData, referenceReport } from "/result-report.js";

const BEFORE = "#8a8a8a";
const AFTER = "#5b3cc4";
/** The muted player is pulled back into step when it drifts further than this (s). */
const DRIFT_S = 0.04;

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

/** The result's stylesheet, once per page (pages link only their own CSS). */
function ensureStyles() {
  if (document.querySelector('link[href="/result.css"]')) return;
  document.head.append(el("link", { rel: "stylesheet", href: "/result.css" }));
}

const withToken = (path, token) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);
const clock = (s) => {
  const v = Number.isFinite(s) ? Math.max(0, s) : 0;
  return `${Math.floor(v / 60)}:${String(Math.floor(v % 60)).padStart(2, "0")}`;
};

/** Gains that make both play at the quieter one's loudness (volume can only turn down). */
export function matchedVolumes(beforeLufs, afterLufs) {
  if (typeof beforeLufs !== "number" || typeof afterLufs !== "number") return { before: 1, after: 1, db: 0 };
  const diff = afterLufs - beforeLufs;
  const down = (db) => 10 ** (-Math.abs(db) / 20);
  return diff > 0 ? { before: 1, after: down(diff), db: diff } : { before: down(diff), after: 1, db: -diff };
}

/** The A/B block: two <audio> elements that always play together; `active` decides which one is heard. */
function abPlayer(job, token, onTime) {
  const src = {
    before: withToken(`/api/jobs/${job.id}/before`, token),
    after: withToken(`/api/jobs/${job.id}/result`, token),
  };
  const players = {
    before: el("audio", { id: "ab-before", preload: "auto", src: src.before }),
    after: el("audio", { id: "ab-after", preload: "auto", src: src.after }),
  };
  const vols = matchedVolumes(job.analysis_before?.integrated_lufs, job.analysis_after?.integrated_lufs);
  let active = "after";
  let matched = true;
  const play = el("button", { type: "button", id: "ab-play", textContent: t("web_result_play") });
  const toggle = el("button", { type: "button", id: "ab-switch", textContent: t("web_result_ab") });
  toggle.setAttribute("aria-keyshortcuts", "A");
  const seek = el("input", { type: "range", id: "ab-seek", min: "0", max: "0", step: "0.01", value: "0" });
  seek.setAttribute("aria-label", t("web_result_position"));
  const time = el("span", { id: "ab-time", className: "ab-time", textContent: "0:00" });
  const match = el("input", { type: "checkbox", id: "ab-match", checked: true });
  const now = el("p", { id: "ab-now", className: "ab-now", role: "status" });
  now.setAttribute("aria-live", "polite");
  const error = el("p", { id: "ab-play-error", className: "error", role: "alert", hidden: true });

  const heard = () => players[active];
  const silent = () => players[active === "after" ? "before" : "after"];
  const apply = () => {
    players.before.muted = active !== "before";
    players.after.muted = active !== "after";
    players.before.volume = matched ? vols.before : 1;
    players.after.volume = matched ? vols.after : 1;
    now.textContent = t(active === "after" ? "web_result_hearing_after" : "web_result_hearing_before");
    now.dataset.active = active;
    toggle.setAttribute("aria-pressed", String(active === "before"));
  };
  const resync = () => {
    const a = heard();
    const b = silent();
    if (Math.abs(b.currentTime - a.currentTime) > DRIFT_S) b.currentTime = a.currentTime;
  };
  const switchAB = () => {
    resync();
    active = active === "after" ? "before" : "after";
    apply();
  };
  const playPause = async () => {
    showError(play, "");
    if (heard().paused) {
      resync();
      try {
        await Promise.all([players.before.play(), players.after.play()]);
      } catch (err) {
        showError(play, err?.message || String(err));
      }
    } else {
      players.before.pause();
      players.after.pause();
    }
  };
  const seekTo = (s) => {
    players.before.currentTime = s;
    players.after.currentTime = s;
  };
  play.addEventListener("click", playPause);
  toggle.addEventListener("click", switchAB);
  match.addEventListener("change", () => {
    matched = match.checked;
    apply();
  });
  seek.addEventListener("input", () => seekTo(Number(seek.value)));
  for (const p of Object.values(players)) {
    p.addEventListener("play", () => {
      play.textContent = t("web_result_pause");
    });
    p.addEventListener("pause", () => {
      play.textContent = t("web_result_play");
    });
  }
  // A master made before listening copies existed has none: say so rather than "network error".
  players.before.addEventListener("error", () => showError(play, t("web_result_no_before")));
  players.after.addEventListener("error", () => showError(play, t("web_network_error")));
  players.after.addEventListener("loadedmetadata", () => {
    seek.max = String(players.after.duration || job.analysis_after?.duration_s || 0);
  });
  players.after.addEventListener("timeupdate", () => {
    // Only the heard player drives the position; the other follows it.
    if (active !== "after") return;
    seek.value = String(players.after.currentTime);
    time.textContent = clock(players.after.currentTime);
    resync();
    onTime(players.after.currentTime);
  });
  players.before.addEventListener("timeupdate", () => {
    if (active !== "before") return;
    seek.value = String(players.before.currentTime);
    time.textContent = clock(players.before.currentTime);
    resync();
    onTime(players.before.currentTime);
  });
  // Keyboard: A switches, space plays/pauses (unless a control that types or clicks has the focus).
  const onKey = (e) => {
    if (!document.body.contains(toggle)) return document.removeEventListener("keydown", onKey);
    const tag = e.target?.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === "a" || e.key === "A" || e.key === "ф" || e.key === "Ф") {
      e.preventDefault();
      switchAB();
    } else if (e.key === " " && tag !== "BUTTON" && tag !== "A") {
      e.preventDefault();
      playPause();
    }
  };
  document.addEventListener("keydown", onKey);
  apply();
  const hint = el("p", {
    className: "hint",
    textContent: t("web_result_ab_hint", { db: vols.db.toFixed(1) }),
  });
  const box = el(
    "div",
    { className: "ab" },
    players.before,
    players.after,
    el("div", { className: "ab-controls" }, play, toggle, seek, time),
    el("label", { className: "check" }, match, ` ${t("web_result_matched")}`),
    now,
    error,
    hint,
  );
  return { box, seekTo, duration: () => players.after.duration || job.analysis_after?.duration_s || 0 };
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
