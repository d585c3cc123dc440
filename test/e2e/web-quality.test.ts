// Every web page (found on disk: web/**/*.html, admin pages with the admin token) in real Chromium at
// 360 px wide: no horizontal scroll (with every <details> opened), no CSP violation, no console error,
// every form control labelled for screen readers, every control reachable with Tab. And the master page
// works from the keyboard alone: the file chooser opens with Space, Enter submits.
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
import { type WebPage, webPages } from "../fixtures/web-pages";
import { form } from "../integration/api/harness";

// These run inside the page; the test program itself is compiled without the DOM library.
type Node = {
  tagName: string;
  id: string;
  type?: string;
  name?: string;
  checked?: boolean;
  disabled?: boolean;
  open?: boolean;
  labels?: unknown[] | null;
  textContent: string | null;
  dataset: Record<string, string>;
  getAttribute(n: string): string | null;
  getClientRects(): { length: number };
  closest(s: string): Node | null;
};
declare const document: {
  querySelectorAll(s: string): Node[];
  getElementById(id: string): Node | null;
  activeElement: Node | null;
  documentElement: { scrollWidth: number; clientWidth: number };
  addEventListener(t: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};
declare const window: Record<string, unknown> & { innerWidth: number };
declare const location: { pathname: string };
declare function getComputedStyle(el: Node): { visibility: string; display: string };

const ADMIN = "admin-token-for-the-web-quality-test-0123456789";
const noBrowser = browserMissing("the web quality browser tests (360 px, labels, keyboard)");

let browser: Browser | null = null;
let service: RunningService;
let track: string;
let handle = "";
/** Query strings of the pages that show one record (filled in beforeAll). */
let query: Record<string, string> = {};

beforeAll(async () => {
  const dir = await tempDir("mm-webq-");
  track = await makeMusic(dir, { durationS: 3, name: "a rather long file name for a narrow screen.wav" });
  service = await startService(
    loadConfig({
      PORT: "0",
      MM_DATA_DIR: join(dir, "data"),
      MM_WORKERS: "1",
      MM_ADMIN_TOKEN: ADMIN,
      // Every page's API calls from one address within a minute: the per-IP limit is not under test here.
      MM_RATE_LIMIT_PER_MIN: "0",
    }),
    silentLogger,
  );
  // A finished job, so the job page shows its fullest state (the result) at 360 px.
  const res = await fetch(`${service.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "a rather long file name for a narrow screen.wav", data: track }]),
  });
  handle = ((await res.json()) as { handle: string }).handle;
  // A user, so the admin pages that show one record have one to show.
  const account = { email: "quality@example.com", password: "quality-password" };
  const reg = await fetch(`${service.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  expect(reg.status).toBeLessThan(300);
  const users = (await (
    await fetch(`${service.url}/api/admin/users?q=quality%40example.com`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    })
  ).json()) as { users: { id: number }[] };
  const userId = users.users[0]?.id;
  expect(userId).toBeDefined();
  const jobId = handle.split(".")[0] ?? "";
  query = {
    "admin/user.html": `?id=${userId}`,
    "admin/job.html": `?id=${jobId}`,
  };
  await waitFor(
    async () =>
      ((await (await fetch(`${service.url}/api/jobs/${handle}`)).json()) as { status: string }).status ===
      "done",
    { what: "the fixture job to be done", timeoutMs: 90_000 },
  );
  if (noBrowser) return;
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function open(
  p: WebPage,
  lang = "ru-RU",
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  if (!browser) throw new Error("no browser");
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: lang,
    extraHTTPHeaders: p.admin ? { authorization: `Bearer ${ADMIN}` } : {},
  });
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__violations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const w = watchPage(page);
  await page.goto(`${service.url}${p.url}`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
  return { page, errors: w.errors, close: () => ctx.close() };
}

/** The visible controls that must be operable and named (radios: one per group, as Tab reaches them). */
const CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary";

function pageFacts(controls: string) {
  const visible = (el: Node) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest("[hidden]");
  const unnamed: string[] = [];
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea, button")) {
    const labelled =
      (el.labels && el.labels.length > 0) ||
      (el.getAttribute("aria-label") ?? "").trim() !== "" ||
      (el.getAttribute("aria-labelledby") ?? "")
        .split(" ")
        .some((id) => (document.getElementById(id)?.textContent ?? "").trim() !== "") ||
      (el.tagName === "BUTTON" && (el.textContent ?? "").trim() !== "");
    if (!labelled) unnamed.push(`${el.tagName.toLowerCase()}#${el.id || "?"}`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    unnamed,
    violations: window.__violations as string[],
    controls: [...document.querySelectorAll(controls)].filter((el) => visible(el) && !el.disabled).length,
  };
}

/** Tabs through the page; returns the visible controls Tab never reached. */
async function unreachable(page: Page): Promise<string[]> {
  const total = await page.evaluate((sel) => {
    let n = 0;
    for (const el of document.querySelectorAll(sel)) el.dataset.tabProbe = String(n++);
    return n;
  }, CONTROLS);
  const reached = new Set<string>();
  for (let i = 0; i < total + 10; i++) {
    await page.keyboard.press("Tab");
    const probe = await page.evaluate(() => document.activeElement?.dataset?.tabProbe ?? "");
    if (probe) reached.add(probe);
  }
  return page.evaluate(
    ({ sel, seen }) => {
      const visible = (el: Node) =>
        el.getClientRects().length > 0 &&
        getComputedStyle(el).visibility !== "hidden" &&
        !el.closest("[hidden]");
      const out: string[] = [];
      for (const el of document.querySelectorAll(sel)) {
        if (!visible(el) || el.disabled || seen.includes(el.dataset.tabProbe ?? "")) continue;
        // Tab enters a radio group once (at its checked radio); arrows move inside it.
        if (el.type === "radio" && !el.checked) continue;
        out.push(`${el.tagName.toLowerCase()}#${el.id || el.textContent?.trim().slice(0, 20)}`);
      }
      return out;
    },
    { sel: CONTROLS, seen: [...reached] },
  );
}

describe("every page at 360 px", () => {
  for (const p of webPages("<handle>")) {
    it.skipIf(noBrowser)(
      `${p.url} (web/${p.file}): no horizontal scroll, no CSP violation or error, labelled, Tab reaches every control`,
      async () => {
        const url = `${p.url.replace("<handle>", handle)}${query[p.file] ?? ""}`;
        const { page, errors, close } = await open({ ...p, url });
        try {
          // Open every disclosure: hidden panels must fit too.
          await page.evaluate(() => {
            for (const d of document.querySelectorAll("details")) d.open = true;
          });
          const facts = await page.evaluate(pageFacts, CONTROLS);
          expect({ ...facts, controls: facts.controls > 0 }).toEqual({
            scrollWidth: facts.width,
            width: 360,
            unnamed: [],
            violations: [],
            controls: true,
          });
          expect(await unreachable(page)).toEqual([]);
          expect(errors).toEqual([]);
          await page.screenshot({
            path: join(import.meta.dir, "../../dist/screenshots", `360-${p.file.replace(/\//g, "-")}.png`),
            fullPage: true,
          });
        } finally {
          await close();
        }
      },
      60_000,
    );
  }
});

describe("the master page from the keyboard alone", () => {
  it.skipIf(noBrowser)(
    "Space on the drop zone's file input opens the chooser; Enter on the button submits; the job page follows",
    async () => {
      const master = webPages().find((p) => p.url === "/");
      if (!master) throw new Error("no master page");
      const { page, errors, close } = await open(master, "en-US");
      try {
        // The chooser listener goes first (Playwright must switch on interception before the key arrives);
        // one more press if the first was lost in a loaded browser: a page whose input ignores Space fails both.
        const opened = () => page.waitForEvent("filechooser", { timeout: 15_000 });
        let waiting = opened();
        await page.focus("#file");
        await page.keyboard.press("Space");
        const chooser = await waiting.catch(async () => {
          waiting = opened();
          await page.focus("#file");
          await page.keyboard.press("Space");
          return waiting;
        });
        await chooser.setFiles(track);
        await page.waitForSelector("#file-info:not(:empty)");
        await page.focus("#master-btn");
        await page.keyboard.press("Enter");
        // The job page, or a refusal shown next to the button (which then fails this test, naming it).
        await page.waitForFunction(
          () =>
            location.pathname.startsWith("/job/") ||
            (document.getElementById("master-btn-error")?.textContent ?? "") !== "",
          null,
          { timeout: 30_000 },
        );
        expect(
          await page.evaluate(() => document.getElementById("master-btn-error")?.textContent ?? ""),
        ).toBe("");
        await page.waitForURL(`${service.url}/job/**`, { timeout: 30_000 });
        await page.waitForSelector("body[data-ready='1']");
        expect(await page.textContent("#job-title")).toMatch(/^Task #[A-Z0-9]{6}$/);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    },
    60_000,
  );
});
