// The web app: static files from web/ (embedded in the binary) and its texts from the shared
// RU/EN catalogue at GET /api/i18n/:lang (web_* keys plus every error code, for API error display).
import { join } from "node:path";
import { Hono } from "hono";
import { serveStatic } from "hono/bun";
import { assetRoot } from "../../db";
import { allMessages, type Lang } from "../../i18n";
import type { RouteMount } from "../app";
import { errorResponse } from "../errors";

function messagesFor(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, msg] of Object.entries(allMessages())) if (key.startsWith("web_")) out[key] = msg[lang];
  return out;
}

export function webMount(): RouteMount {
  const root = join(assetRoot(), "web");
  const r = new Hono();
  r.get("/api/i18n/:lang", (c) => {
    const lang = c.req.param("lang");
    if (lang !== "ru" && lang !== "en") return errorResponse(c, 404, "not_found", { path: c.req.path });
    c.header("Cache-Control", "public, max-age=300");
    return c.json(messagesFor(lang));
  });
  r.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
  r.use("/*", serveStatic({ root }));
  return (app) => app.route("/", r);
}
