// The web app: static files from web/ (embedded in the binary) and its texts from the shared
// RU/EN catalogue at GET /api/i18n/:lang (web_* keys plus every error code, for API error display).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { serveStatic } from "hono/bun";
import { assetRoot } from "../../db";
import { allMessages, type Lang } from "../../i18n";
import type { RouteMount } from "../app";
import { errorResponse } from "../errors";
import type { RouteDoc } from "./openapi";

/** Keys the pages read: their own texts, and the audio report lines the result page shows (platforms, changes). */
const PAGE_KEYS = /^(web_|audio_platform_|audio_changed_|audio_auto_)/;

function messagesFor(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, msg] of Object.entries(allMessages())) if (PAGE_KEYS.test(key)) out[key] = msg[lang];
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
  // Clean page URLs: /pricing → web/pricing.html; every job has its own page /job/<handle> (one file, the
  // handle is read by the page's script), so a reload mid-render resumes the job's progress.
  const page = (name: string) => {
    const file = join(root, `${name}.html`);
    if (!existsSync(file)) return null;
    return new Response(Bun.file(file), {
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" },
    });
  };
  r.get("/job/:handle", (_c, next) => page("job") ?? next());
  // The addresses other parts hand out: the payment provider returns the buyer to MM_PUBLIC_URL/?order=<id>
  // (src/billing), and the referral link is MM_PUBLIC_URL/register?ref=CODE (src/accounts/referral.ts).
  r.get("/", (c, next) => (c.req.query("order") ? (page("pay-return") ?? next()) : next()));
  r.get("/register", (_c, next) => page("account") ?? next());
  r.get("/:page{[a-z][a-z0-9-]*}", (c, next) => page(c.req.param("page")) ?? next());
  r.use("/*", serveStatic({ root }));
  return (app) => app.route("/", r);
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const WEB_DOCS: RouteDoc[] = [
  { method: "GET", path: "/api/i18n/:lang", summary: "Web texts (ru|en)", ok: { 200: "I18n" } },
  { method: "GET", path: "/favicon.ico", summary: "Redirect to /favicon.svg", ok: { 301: "redirect" } },
  {
    method: "GET",
    path: "/job/:handle",
    summary: "The job page web/job.html (its script reads the handle ID.TOKEN from the URL)",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/:page{[a-z][a-z0-9-]*}",
    summary: "A web page by its clean URL: /pricing serves web/pricing.html (404 when there is none)",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/",
    summary:
      "Web app: the master page; with ?order=<id> (where the payment provider returns the buyer) the pay-return page",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/register",
    summary: "Sign-up (the referral link /register?ref=CODE): the account page",
    ok: { 200: "html" },
  },
];
