// GET /status: a small human page (RU/EN by Accept-Language) with the same facts as /api/health,
// refreshing itself. Server-rendered so it works without JavaScript.
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { t } from "../../i18n";
import type { Health } from "../../ops";
import type { HttpDeps } from "../deps";
import { langOf } from "../errors";
import type { RouteDoc } from "./openapi";

const REFRESH_S = 15;

/** Served as /status.css: the page's CSP allows no inline styles. */
const STATUS_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.badge{display:inline-block;padding:.2rem .7rem;border-radius:1rem;color:#fff}
.ok{background:#1a7f37}.bad{background:#cf222e}table{border-collapse:collapse;width:100%}
td{padding:.35rem .5rem;border-bottom:1px solid #ddd}td.v{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td.v{color:#cf222e;font-weight:600}small{color:#666}
`;

function rows(
  h: Health,
  tr: (key: string, p?: Record<string, string | number>) => string,
): [string, string, boolean][] {
  const v = (key: string) => tr(`status_value_${key}`);
  return [
    [tr("status_version"), h.version, true],
    [tr("status_uptime"), h.uptime_since, true],
    [tr("status_database"), v(h.database_error ?? h.database), h.database === "ok"],
    [tr("status_disk"), `${h.disk.free_mb} MB (${v(h.disk.status)})`, h.disk.status === "ok"],
    [
      tr("status_ffmpeg"),
      h.ffmpeg.status === "ok" ? `${v("ok")} ${h.ffmpeg.version ?? ""}` : v("missing"),
      h.ffmpeg.status === "ok",
    ],
    [tr("status_bot"), v(h.bot), h.bot !== "error"],
    [tr("status_jobs_running"), String(h.jobs.running), true],
    [tr("status_jobs_queued"), String(h.jobs.queued), true],
    [
      tr("status_maintenance"),
      h.maintenance ? `${v("on")}${h.maintenance_message ? `: ${h.maintenance_message}` : ""}` : v("off"),
      !h.maintenance,
    ],
  ];
}

export function statusPage(deps: HttpDeps) {
  const r = new Hono();
  r.get("/status.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(STATUS_CSS);
  });
  r.get("/status", async (c) => {
    const lang = langOf(c);
    const tr = (key: string, p: Record<string, string | number> = {}) => t(lang, key, p);
    const h = await deps.health();
    const ok = h.status === "ok";
    const body = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_S}">
<title>${tr("status_title")}</title>
<link rel="stylesheet" href="/status.css">
</head>
<body>
<h1>${tr("status_title")}</h1>
<p><span class="badge ${ok ? "ok" : "bad"}" id="overall" data-status="${h.status}">${tr(ok ? "status_ok" : "status_degraded")}</span></p>
<table>
${raw(
  rows(h, tr)
    .map(
      ([k, v, good]) =>
        `<tr class="${good ? "good" : "bad"}"><td>${escapeHtml(k)}</td><td class="v">${escapeHtml(v)}</td></tr>`,
    )
    .join("\n"),
)}
</table>
<p><small>${tr("status_refresh", { seconds: REFRESH_S })}</small></p>
</body>
</html>`;
    c.header("Cache-Control", "no-store");
    return c.html(body, ok ? 200 : 503);
  });
  return r;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const STATUS_PAGE_DOCS: RouteDoc[] = [
  { method: "GET", path: "/status", summary: "Status page (HTML)", ok: { 200: "html", 503: "html" } },
  { method: "GET", path: "/status.css", summary: "Status page stylesheet", ok: { 200: "css" } },
];
