// Small canvas charts of our own (no library): lines over an x axis (linear or log), min/max envelopes
// (waveforms) and bars (per-day counts). Shared by the result page and the admin dashboard. Each call
// redraws the whole canvas at the device's pixel ratio; `null` values leave gaps. Colours come from the
// caller (or CSS custom properties read by the caller), so pages keep their own look.

const DEFAULT_PAD = { left: 44, right: 8, top: 8, bottom: 20 };

/** Sizes the canvas backing store to its CSS box × devicePixelRatio; returns the 2-D context in CSS px. */
export function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, canvas.clientWidth || canvas.width);
  const h = Math.max(1, canvas.clientHeight || canvas.height);
  if (canvas.width !== Math.round(w * ratio)) canvas.width = Math.round(w * ratio);
  if (canvas.height !== Math.round(h * ratio)) canvas.height = Math.round(h * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** The finite extent of every series (nulls skipped); `fallback` when there is none. */
export function extent(arrays, fallback = [0, 1]) {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays)
    for (const v of a)
      if (v !== null && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  if (lo > hi) return fallback;
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** About `n` round tick values across [lo, hi]. */
export function ticks(lo, hi, n = 4) {
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function frame(ctx, box, o) {
  const { x0, x1, y0, y1, w, h, pad } = box;
  ctx.font = o.font || "11px sans-serif";
  ctx.fillStyle = o.textColor || "#666";
  ctx.strokeStyle = o.gridColor || "rgba(128,128,128,0.25)";
  ctx.lineWidth = 1;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (const v of o.yTicks || ticks(y0, y1, o.yTickCount || 4)) {
    const y = box.sy(v);
    ctx.beginPath();
    ctx.moveTo(pad.left, y);
    ctx.lineTo(w - pad.right, y);
    ctx.stroke();
    ctx.fillText(o.yFormat ? o.yFormat(v) : String(v), pad.left - 4, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xs =
    o.xTicks || (o.xLog ? logTicks(x0, x1) : ticks(x0, x1, Math.max(2, Math.floor((w - pad.left) / 70))));
  for (const v of xs) {
    const x = box.sx(v);
    if (x < pad.left - 0.5 || x > w - pad.right + 0.5) continue;
    ctx.fillText(o.xFormat ? o.xFormat(v) : String(v), x, h - pad.bottom + 4);
  }
}

/** Decades and their 2× / 5× steps for a log axis (spectra). */
export function logTicks(lo, hi) {
  const out = [];
  for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi; d *= 10)
    for (const m of [1, 2, 5]) if (d * m >= lo && d * m <= hi) out.push(d * m);
  return out;
}

function box(w, h, o, xr, yr) {
  const pad = { ...DEFAULT_PAD, ...(o.pad || {}) };
  const [x0, x1] = xr;
  const [y0, y1] = yr;
  const lx = (v) => (o.xLog ? Math.log10(v) : v);
  const sx = (v) => pad.left + ((lx(v) - lx(x0)) / (lx(x1) - lx(x0) || 1)) * (w - pad.left - pad.right);
  const sy = (v) => h - pad.bottom - ((v - y0) / (y1 - y0 || 1)) * (h - pad.top - pad.bottom);
  return { x0, x1, y0, y1, w, h, pad, sx, sy };
}

/**
 * Lines: `series` = [{ y: (number|null)[], x?: number[], color, width?, fill?, dash? }]. Without `x`, a
 * series' points sit at `x0 + i·step` (o.step, default 1). Options: yMin/yMax, xMin/xMax, xLog,
 * xFormat/yFormat, xTicks/yTicks, pad, textColor, gridColor. Returns the scales for overlays.
 */
export function lineChart(canvas, series, o = {}) {
  const { ctx, w, h } = prepare(canvas);
  const step = o.step || 1;
  const xsOf = (s) => s.x || s.y.map((_, i) => (o.x0 || 0) + i * step);
  const [ylo, yhi] = extent(
    series.map((s) => s.y),
    [0, 1],
  );
  const [xlo, xhi] = extent(series.map(xsOf), [0, 1]);
  const b = box(w, h, o, [o.xMin ?? xlo, o.xMax ?? xhi], [o.yMin ?? ylo, o.yMax ?? yhi]);
  frame(ctx, b, o);
  ctx.save();
  ctx.beginPath();
  ctx.rect(b.pad.left, b.pad.top, w - b.pad.left - b.pad.right, h - b.pad.top - b.pad.bottom);
  ctx.clip();
  for (const s of series) {
    const xs = xsOf(s);
    ctx.strokeStyle = s.color || "#36c";
    ctx.lineWidth = s.width || 1.5;
    ctx.setLineDash(s.dash || []);
    let run = [];
    const flush = () => {
      if (run.length === 0) return;
      ctx.beginPath();
      ctx.moveTo(run[0][0], run[0][1]);
      for (const [x, y] of run.slice(1)) ctx.lineTo(x, y);
      if (run.length === 1) ctx.lineTo(run[0][0] + 1, run[0][1]);
      ctx.stroke();
      if (s.fill) {
        ctx.lineTo(run[run.length - 1][0], b.sy(b.y0));
        ctx.lineTo(run[0][0], b.sy(b.y0));
        ctx.closePath();
        ctx.fillStyle = s.fill;
        ctx.fill();
      }
      run = [];
    };
    s.y.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) flush();
      else run.push([b.sx(xs[i]), b.sy(Math.max(b.y0, Math.min(b.y1, v)))]);
    });
    flush();
  }
  ctx.restore();
  return b;
}

/**
 * Min/max envelopes (waveforms): `layers` = [{ min: number[], max: number[], color }], values in
 * [-scale, scale] (o.scale, default 1), drawn one column per value across the width, later layers on top.
 */
export function envelopeChart(canvas, layers, o = {}) {
  const { ctx, w, h } = prepare(canvas);
  const scale = o.scale || 1;
  const mid = h / 2;
  ctx.strokeStyle = o.gridColor || "rgba(128,128,128,0.35)";
  ctx.beginPath();
  ctx.moveTo(0, mid);
  ctx.lineTo(w, mid);
  ctx.stroke();
  for (const layer of layers) {
    const n = layer.max.length;
    if (n === 0) continue;
    ctx.fillStyle = layer.color || "#36c";
    const colW = w / n;
    for (let i = 0; i < n; i++) {
      const top = mid - (Math.min(scale, layer.max[i]) / scale) * mid;
      const bottom = mid - (Math.max(-scale, layer.min[i]) / scale) * mid;
      ctx.fillRect(i * colW, top, Math.max(1, colW), Math.max(1, bottom - top));
    }
  }
}

/** Bars: `values` (number|null)[] with `labels`; o.color, o.yMax, o.yFormat, o.labelEvery. */
export function barChart(canvas, values, labels = [], o = {}) {
  const { ctx, w, h } = prepare(canvas);
  const [lo, hi] = extent([values], [0, 1]);
  const b = box(w, h, o, [0, Math.max(1, values.length)], [Math.min(0, lo), o.yMax ?? Math.max(hi, 1)]);
  frame(ctx, b, { ...o, xTicks: [] });
  const slot = (w - b.pad.left - b.pad.right) / Math.max(1, values.length);
  const every = o.labelEvery || Math.max(1, Math.ceil(values.length / Math.max(1, Math.floor(w / 60))));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  values.forEach((v, i) => {
    const x = b.pad.left + i * slot;
    if (v !== null && Number.isFinite(v)) {
      ctx.fillStyle = o.color || "#36c";
      const y = b.sy(v);
      ctx.fillRect(
        x + slot * 0.15,
        Math.min(y, b.sy(0)),
        Math.max(1, slot * 0.7),
        Math.abs(b.sy(0) - y) || 1,
      );
    }
    if (labels[i] !== undefined && i % every === 0) {
      ctx.fillStyle = o.textColor || "#666";
      ctx.fillText(String(labels[i]), x + slot / 2, h - b.pad.bottom + 4);
    }
  });
  return b;
}

/** A vertical marker (the playhead) at data x on a chart drawn with the scales `b`. */
export function marker(canvas, b, x, color = "#c33") {
  const ctx = canvas.getContext("2d");
  const px = b.sx(x);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px, b.pad.top);
  ctx.lineTo(px, b.h - b.pad.bottom);
  ctx.stroke();
}
