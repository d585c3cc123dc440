// The web app and the status page under the real Content-Security-Policy in Chromium: they work, raise no
// CSP violation, refuse to be framed and send no Referer; and the job page's cancel button cancels the job.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { makeMusic, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { waitFor } from "../fixtures/wait";
import { watchPage } from "../fixtures/web-page";
import { type Harness, startApi } from "../integration/api/harness";

// These run inside the page; the test program itself is compiled without the DOM library.
type PageElement = { getAttribute(name: string): string | null };
declare const document: {
  querySelector(selector: string): PageElement | null;
  createElement(tag: string): { textContent: string };
  body: { append(el: unknown): void };
  addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};
declare const window: Record<string, unknown>;
declare function getComputedStyle(el: unknown): { backgroundColor: string };

const noBrowser = browserMissing("web security browser tests");

let browser: Browser | null = null;
let service: RunningService;
let track: string;

beforeAll(async () => {
  const dir = await tempDir("mm-websec-");
  track = await makeMusic(dir, { durationS: 2, name: "slow.wav" });
  service = await startService(
    loadConfig({ PORT: "0", MM_DATA_DIR: join(dir, "data"), MM_WORKERS: "1" }),
    silentLogger,
  );
  if (noBrowser) return; // the browser tests below are skipped (and say why)
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

type Watch = { violations: string[]; consoleErrors: string[]; referers: string[] };

/** A page that records CSP violations (DOM events and console reports), errors and Referer headers. */
async function watchedPage(locale = "en-US"): Promise<{ page: Page; w: Watch }> {
  if (!browser) throw new Error("no browser");
  const page = await browser.newPage({ locale });
  const seen = watchPage(page);
  const w: Watch = { violations: [], consoleErrors: seen.errors, referers: seen.referers };
  // Injected through the DevTools protocol, so the page's CSP does not apply to this script.
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__violations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) w.violations.push(m.text());
  });
  return { page, w };
}

const domViolations = (page: Page) => page.evaluate(() => window.__violations as string[]);

describe("pages under the CSP", () => {
  it.skipIf(noBrowser)(
    "the web app loads its catalogues and texts with no CSP violation; inline script is blocked",
    async () => {
      const { page, w } = await watchedPage();
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.locator("#style option").count()).toBeGreaterThanOrEqual(8);
      expect(await page.textContent("#master-btn")).not.toBe("");
      expect(await domViolations(page)).toEqual([]);
      expect(w.violations).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      // The policy is really enforced: a script the page itself inserts inline does not run.
      const ran = await page.evaluate(() => {
        const s = document.createElement("script");
        s.textContent = "window.__inline = 1";
        document.body.append(s);
        return window.__inline === 1;
      });
      expect(ran).toBe(false);
      await page.waitForFunction(() => (window.__violations as string[]).length > 0);
      expect((await domViolations(page))[0]).toContain("script-src");
      await page.close();
    },
    30_000,
  );

  it.skipIf(noBrowser)(
    "the status page renders styled with no CSP violation",
    async () => {
      const { page, w } = await watchedPage("ru-RU");
      const res = await page.goto(`${service.url}/status`);
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute("#overall", "data-status")).toBe("ok");
      // The stylesheet applied (a green badge), so moving the CSS out of the page worked.
      const bg = await page.locator("#overall").evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).toBe("rgb(26, 127, 55)");
      expect(await domViolations(page)).toEqual([]);
      expect(w.violations).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      await page.close();
    },
    30_000,
  );

  it.skipIf(noBrowser)(
    "refuses to be shown in a frame of another page",
    async () => {
      const { page, w } = await watchedPage();
      await page.setContent(`<iframe id="f" src="${service.url}/"></iframe>`);
      await waitFor(() => w.consoleErrors.some((e) => e.includes("frame-ancestors")), {
        what: "the browser to refuse the frame",
        detail: () => w.consoleErrors,
      });
      expect(w.consoleErrors.join("\n")).toContain("frame-ancestors 'none'");
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(await frame?.$("body[data-ready='1']")).toBeNull();
      await page.close();
    },
    30_000,
  );
});

describe("cancel button", () => {
  let api: Harness;

  beforeAll(async () => {
    // The real HTTP wiring and job service with no pool running: the job stays queued by construction
    // until the click, whatever the machine's speed.
    // MM_PUBLIC_URL names another host than the one the page is opened under (a LAN address, a tunnel):
    // the page must still follow its job on the server that served it, as its CSP demands.
    api = await startApi({ MM_PUBLIC_URL: "https://mm.example" }, { start: false, web: true });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it.skipIf(noBrowser)(
    "cancels the queued job on screen (the token, not the page's query string, is sent)",
    async () => {
      const { page, w } = await watchedPage("ru-RU");
      // A query string of its own, which the old code sent instead of the token.
      await page.goto(`${api.url}/?utm=x`);
      await page.waitForSelector("body[data-ready='1']");
      await page.setInputFiles("#file", track);
      await page.waitForSelector("#file-info:not(:empty)");
      await page.click("#master-btn");
      // The job has a page of its own, on the server that served this one (not MM_PUBLIC_URL's host).
      await page.waitForURL(`${api.url}/job/**`, { timeout: 30_000 });
      await page.waitForFunction(
        () => document.querySelector("#job-status")?.getAttribute("data-status") === "queued",
        null,
        { timeout: 30_000 },
      );
      expect(await page.isVisible("#cancel-btn")).toBe(true);
      const id = /#([A-Z0-9]{6})/.exec((await page.textContent("#job-status")) ?? "")?.[1] ?? "";
      expect(api.jobs.get(id)?.status).toBe("queued");
      await page.click("#cancel-btn");
      await page.waitForFunction(
        () => document.querySelector("#job-status")?.getAttribute("data-status") === "cancelled",
        null,
        { timeout: 30_000 },
      );
      expect(await page.textContent("#job-status")).toContain("отменена");
      expect(await page.isHidden("#cancel-btn")).toBe(true);
      expect(await page.isHidden("#error")).toBe(true);
      expect(api.jobs.get(id)?.status).toBe("cancelled");
      // Tokens ride in URLs (SSE): no request the page made carried a Referer.
      expect(w.referers).toEqual([]);
      expect(w.violations).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
