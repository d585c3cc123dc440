// The one set-up of the admin panel's Chromium tests (web-admin-*.test.ts): the real service
// (startAdminFixture: HTTP on loopback, SQLite in a temp dir, an admin and a plain user), Chromium when it is
// installed, and pages in a fresh profile signed in with a session cookie that record CSP violations and
// page errors. A test file does:
//   const noBrowser = browserMissing("the … browser tests");
//   let p: AdminPanel;
//   beforeAll(async () => { p = await startAdminPanel(noBrowser); });
//   afterAll(() => p?.stop());
//   const w = await p.admin(); await p.open(w, "/admin/jobs"); … expect(w.problems).toEqual([]);
import type { Browser } from "playwright-core";
import { launchBrowser, type WatchedPage, watchedPage } from "../fixtures/browser";
import { type AdminFixture, startAdminFixture } from "../integration/admin/fixture";

export type AdminPanel = {
  f: AdminFixture;
  browser: Browser | null;
  /** A fresh profile signed in with `session` (none: a guest). */
  as(session: string | null, locale?: string): Promise<WatchedPage>;
  /** A fresh profile signed in as the admin. */
  admin(locale?: string): Promise<WatchedPage>;
  /** Goes to `path` and waits until the admin page has started (body[data-ready]). */
  open(w: WatchedPage, path: string): Promise<void>;
  stop(): Promise<void>;
};

export async function startAdminPanel(
  noBrowser: boolean,
  env: Record<string, string> = {},
): Promise<AdminPanel> {
  const f = await startAdminFixture(env);
  const browser = noBrowser ? null : await launchBrowser();
  const as = async (session: string | null, locale = "en-US") => {
    const w = await watchedPage(browser, { locale });
    if (session) await w.context.addCookies([{ name: "mm_session", value: session, url: f.s.url }]);
    return w;
  };
  return {
    f,
    browser,
    as,
    admin: (locale) => as(f.adminSession, locale),
    async open(w, path) {
      await w.page.goto(`${f.s.url}${path}`);
      await w.page.locator("body[data-ready]").waitFor();
    },
    async stop() {
      await browser?.close();
      await f.stop();
    },
  };
}
