// The admin panel's pages: GET /admin → web/admin/index.html (the dashboard), GET /admin/<name> →
// web/admin/<name>.html, and their own scripts and styles (/admin/<name>.js|.css). Only admins reach these
// handlers (the /admin* guard in admin.ts answers everyone else as an unknown route), and nothing under
// /admin falls through to the public static handler: web/admin/ is served from here or not at all.
// The panel's texts (webadmin_* keys) come from GET /api/admin/i18n/:lang, not from the public
// /api/i18n bundle (web_* only), so the public pages do not reveal the panel either.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { assetRoot } from "../../db";
import { allMessages, type Lang } from "../../i18n";
import type { AppEnv } from "../app";
import { notFound } from "../errors";
import type { RouteDoc } from "./openapi";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** The admin panel's folder (beside the sources, or inside the compiled binary). */
export const adminWebRoot = (): string => join(assetRoot(), "web", "admin");

export function adminPages(app: Hono<AppEnv>): void {
  const root = adminWebRoot();
  const file = (name: string, ext: string): Response | null => {
    const path = join(root, `${name}.${ext}`);
    if (!existsSync(path)) return null;
    return new Response(Bun.file(path), {
      headers: { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Cache-Control": "no-store" },
    });
  };
  // The dashboard is index.html; until it exists the users page is the panel's first page.
  app.get("/admin", (c) => file("index", "html") ?? c.redirect("/admin/users", 302));
  app.get("/admin/:name{[a-z][a-z0-9-]*}", (c) => file(c.req.param("name"), "html") ?? notFound(c));
  app.get("/admin/:file{[a-z][a-z0-9-]*\\.(?:js|css|svg)}", (c) => {
    const m = /^(.+)\.(js|css|svg)$/.exec(c.req.param("file"));
    return (m && file(m[1] ?? "", m[2] ?? "")) || notFound(c);
  });
  // Anything else under /admin (a trailing slash, a nested path) is unknown here too.
  app.all("/admin/*", (c) => notFound(c));
}

export const ADMIN_TEXT_PREFIX = "webadmin_";

/** GET /api/admin/i18n/:lang (mounted under the guarded /api/admin): the panel's webadmin_* texts. */
export function adminTextsRoutes(): Hono {
  const r = new Hono();
  r.get("/i18n/:lang", (c) => {
    const lang = c.req.param("lang");
    if (lang !== "ru" && lang !== "en") return notFound(c);
    const out: Record<string, string> = {};
    for (const [key, msg] of Object.entries(allMessages()))
      if (key.startsWith(ADMIN_TEXT_PREFIX)) out[key] = msg[lang as Lang];
    c.header("Cache-Control", "private, no-store");
    return c.json(out);
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const ADMIN_PAGE_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/admin/i18n/:lang",
    summary: "The admin panel's texts (webadmin_* keys, ru|en)",
    access: "admin",
    ok: { 200: "I18n" },
  },
  {
    method: "GET",
    path: "/admin",
    summary: "Admin panel: the dashboard page (a redirect to the users page until it exists)",
    access: "admin",
    ok: { 200: "html", 302: "redirect" },
  },
  {
    method: "GET",
    path: "/admin/:name{[a-z][a-z0-9-]*}",
    summary: "Admin panel page web/admin/<name>.html",
    access: "admin",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/admin/:file{[a-z][a-z0-9-]*\\.(?:js|css|svg)}",
    summary: "Admin panel script or stylesheet (web/admin/)",
    access: "admin",
    ok: { 200: "file" },
  },
];
