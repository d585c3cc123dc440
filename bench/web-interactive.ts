// Bench (issue 13 point 6): time from navigation to interactive on loopback, per page, in headless
// Chromium: from the navigation's start to the moment the page marks body[data-ready] (texts loaded,
// header mounted, its catalogues/API answers rendered, handlers wired — web/lib/core.js startPage). Each
// run is a fresh browser context (empty cache, a first visit). Baseline in the same run: the load event of
// /status, a server-rendered page with no script. Pages are found on disk (web/**/*.html).
// Usage: bun bench/web-interactive.ts [--runs 7]
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { makeMusic, tempDir } from "../test/fixtures/audio";
import { CHROMIUM, launchBrowser } from "../test/fixtures/browser";
import { waitFor } from "../test/fixtures/wait";
import { webPages } from "../test/fixtures/web-pages";
import { form } from "../test/integration/api/harness";
import { fmt, median } from "./lib";

// Runs inside the page (this program is compiled without the DOM library).
declare const document: { body: { dataset: Record<string, string> } | null; documentElement: unknown };
declare const window: Record<string, unknown>;
declare class MutationObserver {
  constructor(fn: () => void);
  observe(t: unknown, o: Record<string, unknown>): void;
}
declare const performance: { now(): number; getEntriesByType(t: string): { loadEventEnd: number }[] };

const i = process.argv.indexOf("--runs");
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 7;
const ADMIN = "admin-token-for-the-interactive-bench-0123456789";
if (!CHROMIUM) {
  console.log("skip: no Chromium (apt-get install chromium)");
  process.exit(0);
}

const dir = await tempDir("mm-bench-web-");
const service = await startService(
  loadConfig({
    PORT: "0",
    MM_DATA_DIR: join(dir, "data"),
    MM_WORKERS: "1",
    MM_ADMIN_TOKEN: ADMIN,
    MM_RATE_LIMIT_PER_MIN: "0",
  }),
  silentLogger,
);
const track = await makeMusic(dir, { durationS: 3 });
const res = await fetch(`${service.url}/api/v2/master`, {
  method: "POST",
  body: await form([{ name: "t.wav", data: track }]),
});
const { handle } = (await res.json()) as { handle: string };
await waitFor(
  async () =>
    ((await (await fetch(`${service.url}/api/jobs/${handle}`)).json()) as { status: string }).status ===
    "done",
  { what: "the bench job", timeoutMs: 120_000 },
);
const browser = await launchBrowser();

async function once(url: string, admin: boolean, ready: boolean): Promise<number> {
  const ctx = await browser.newContext({
    extraHTTPHeaders: admin ? { authorization: `Bearer ${ADMIN}` } : {},
  });
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.body?.dataset.ready === "1" && window.__ready === undefined)
        window.__ready = performance.now();
    }).observe(document, {
      attributes: true,
      subtree: true,
      attributeFilter: ["data-ready"],
    });
  });
  await page.goto(`${service.url}${url}`, { waitUntil: "load" });
  let ms: number;
  if (ready) {
    await page.waitForSelector("body[data-ready='1']");
    ms = (await page.evaluate(() => window.__ready)) as number;
  } else ms = await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.loadEventEnd ?? 0);
  await ctx.close();
  return ms;
}

const timeOf = async (url: string, admin: boolean, ready: boolean) => {
  await once(url, admin, ready); // warm the server's file cache, not the browser's
  const xs: number[] = [];
  for (let r = 0; r < RUNS; r++) xs.push(await once(url, admin, ready));
  return median(xs);
};

const base = await timeOf("/status", false, false);
console.log(`baseline /status (no script) load: ${fmt(base)} ms (median of ${RUNS})`);
console.log("page                      interactive ms   × baseline");
for (const p of webPages(handle)) {
  const ms = await timeOf(p.url, p.admin, true);
  console.log(
    `${(p.url.startsWith("/job/") ? "/job/<handle>" : p.url).padEnd(24)} ${fmt(ms).padStart(14)} ${fmt(ms / base, 2).padStart(12)}`,
  );
}
await browser.close();
await service.stop();
