// Parts of the result page that explain the master (issue 15): why style=auto chose its style, what the
// reference match did and how close the delivered file came (per aspect, with the corrective EQ curve),
// and the "what changed" report as data (the words are the changes list of result.js).
import { fmt, t } from "/lib/core.js";
import { lineChart } from "/lib/plot.js";

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
};
const signed = (v, d = 1) => (typeof v === "number" ? `${v > 0 ? "+" : ""}${fmt(v, d)}` : "—");

/** "Auto style: X — because …" (the server's message, with the numbers its rule looked at), or null. */
export function autoStyleNote(job) {
  const changes = job.analysis_after?.changes;
  const auto = changes?.auto_style;
  if (!auto) return null;
  const msg = (changes.messages || []).find((m) => m.key.startsWith("audio_auto_"));
  const box = el("p", { id: "auto-style", className: "auto-style" });
  box.dataset.style = auto.style;
  box.dataset.reason = auto.reason;
  box.textContent = msg ? t(msg.key, msg.params) : auto.style;
  return box;
}

function row(table, label, applied, residual) {
  const r = table.tBodies[0].insertRow();
  r.append(el("th", { scope: "row", textContent: label }));
  r.insertCell().textContent = applied;
  r.insertCell().textContent = residual;
  return r;
}

/** The reference match: one row per matched aspect (what was applied, what remains), the EQ curve. */
export function referenceReport(job) {
  const ref = job.analysis_after?.changes?.reference;
  if (!ref) return null;
  const names = ref.aspects.map((a) => t(`web_match_${a}`)).join(", ");
  const weights =
    ref.weights.length > 1
      ? t("web_refrep_weights", { list: ref.weights.map((w) => `${Math.round(w * 100)} %`).join(" / ") })
      : "";
  const table = el("table", { id: "reference-table", className: "reference" });
  table.append(el("caption", { textContent: t("web_refrep_table") }));
  const head = table.createTHead().insertRow();
  for (const k of ["web_refrep_aspect", "web_refrep_applied", "web_refrep_residual"])
    head.append(el("th", { scope: "col", textContent: t(k) }));
  table.createTBody();
  if (ref.eq) {
    const most = ref.eq.reduce((m, b) => (Math.abs(b.gain_db) > Math.abs(m.gain_db) ? b : m), ref.eq[0]);
    row(
      table,
      t("web_match_tone"),
      t("web_refrep_eq", { db: signed(most?.gain_db), hz: most ? Math.round(most.hz) : "—" }),
      t("web_refrep_db_rms", { db: fmt(ref.residual.tone_db_rms) }),
    ).dataset.aspect = "tone";
  }
  if (ref.loudness)
    row(
      table,
      t("web_match_loudness"),
      t("web_refrep_loudness", {
        reference: fmt(ref.loudness.reference_lufs),
        target: fmt(ref.loudness.target_lufs),
        output: fmt(ref.loudness.output_lufs),
      }),
      t("web_refrep_lu", { lu: signed(ref.residual.loudness_lu, 2) }),
    ).dataset.aspect = "loudness";
  if (ref.width !== null)
    row(
      table,
      t("web_match_width"),
      t("web_refrep_width", { factor: ref.width.toFixed(2) }),
      t("web_refrep_db", { db: fmt(ref.residual.width_db) }),
    ).dataset.aspect = "width";
  if (ref.dynamics)
    row(
      table,
      t("web_match_dynamics"),
      t("web_refrep_dynamics", {
        input: fmt(ref.dynamics.input_spread_lu),
        reference: fmt(ref.dynamics.reference_spread_lu),
        scale: ref.dynamics.compression_scale.toFixed(2),
      }),
      "—",
    ).dataset.aspect = "dynamics";
  const canvas = ref.eq ? el("canvas", { id: "plot-ref-eq", className: "plot" }) : null;
  if (canvas) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", t("web_refrep_curve"));
  }
  const box = el(
    "section",
    { id: "reference-report" },
    el("h3", { textContent: t("web_refrep_heading") }),
    el("p", { id: "reference-aspects", textContent: `${t("web_refrep_matched", { list: names })} ${weights}` }),
    table,
    ...(canvas ? [el("h3", { textContent: t("web_refrep_curve") }), canvas] : []),
  );
  const draw = () => {
    if (!canvas || !document.body.contains(canvas)) return;
    const hz = ref.eq.map((b) => b.hz);
    lineChart(canvas, [{ x: hz, y: ref.eq.map((b) => b.gain_db), color: "#5b3cc4", width: 2 }], {
      xLog: true,
      xMin: 20,
      xMax: 20000,
      yMin: Math.min(-3, ...ref.eq.map((b) => b.gain_db)),
      yMax: Math.max(3, ...ref.eq.map((b) => b.gain_db)),
      yFormat: (v) => signed(v, 0),
      xFormat: (v) => (v >= 1000 ? `${v / 1000}k` : String(v)),
    });
    canvas.dataset.drawn = "1";
  };
  return { box, draw };
}

/** What the master changed, as numbers: one row per stage that acted. */
export function changesData(job) {
  const c = job.analysis_after?.changes;
  if (!c) return null;
  const table = el("table", { id: "changes-data", className: "changes-data" });
  table.append(el("caption", { textContent: t("web_chg_table") }));
  const body = table.createTBody();
  const add = (key, value) => {
    const r = body.insertRow();
    r.dataset.stage = key;
    r.append(el("th", { scope: "row", textContent: t(`web_chg_${key}`) }));
    r.insertCell().textContent = value;
  };
  add("intensity", t(`web_intensity_${c.intensity}`));
  add("mix", `${fmt(c.mix_pct, 0)} %`);
  if (c.eq.length) add("eq", c.eq.map((e) => `${e.band} ${signed(e.gain_db)}`).join(", "));
  for (const b of c.compression)
    add(
      "compression",
      `${b.to_hz === null ? `> ${b.from_hz}` : `${b.from_hz}–${b.to_hz}`} Hz: ${b.ratio}:1, −${fmt(b.gain_reduction_db)} dB`,
    );
  if (c.saturation_db !== null) add("saturation", `${fmt(c.saturation_db)} dB`);
  add("width", `×${c.width.factor.toFixed(2)} (${fmt(c.width.correlation_before, 2)} → ${fmt(c.width.correlation_after, 2)})`);
  add("limiter", t("web_chg_limiter_value", { max: fmt(c.limiter.max_gain_reduction_db), mean: fmt(c.limiter.mean_gain_reduction_db) }));
  add("gain", `${signed(c.gain.final_db)} dB`);
  return table;
}
