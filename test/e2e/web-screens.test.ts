// Screenshots of the main pages in RU and EN at 1280 px and 360 px, taken in Chromium from the running
// service with real content (a signed-in user with a finished master, a ledger row): written as test
// artefacts to dist/screenshots/<page>-<lang>-<width>.png, each checked for text on screen and no
// horizontal scroll. The README shows two of them from docs/screenshots/ (small palette PNGs, committed);
// MM_UPDATE_SCREENSHOTS=1 rewrites those two from this run (ffmpeg reduces them to ≤ 100 KB).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createSqliteLedger } from "../../src/billing";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser, watchedPage } from "../fixtures/browser";
import { waitFor } from "../fixtures/wait";
import { ROOT } from "./lib";

const noBrowser = browserMissing("the screenshots of the web pages");
const OUT = join(ROOT, "dist", "screenshots");
const DOCS = join(ROOT, "docs", "screenshots");
/** The two the README shows: a job's result on a desktop (EN) and the account history on a phone (RU). */
const README_SHOTS = ["job-en-1280.png", "account-ru-360.png"];
const MAX_DOC_BYTES = 100 * 1024;

let browser: Browser | null = null;
let s: RunningService;
let dir: string;
let session = "";
let handle = "";

beforeAll(async () => {
  dir = await tempDir("mm-web-screens-");
  const wav = await makeMusic(dir, { durationS: 12, name: "Night drive (demo).wav" });
  s = await startService(
    loadConfig({ PORT: "0", MM_DATA_DIR: join(dir, "data"), MM_WORKERS: "1", MM_RATE_LIMIT_PER_MIN: "0" }),
    silentLogger,
  );
  const account = { email: "artist@example.com", password: "artist-password" };
  const post = (path: string, body: unknown) =>
    fetch(`${s.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await post("/api/auth/register", account);
  session = ((await (await post("/api/auth/login", account)).json()) as { token: string }).token;
  const fd = new FormData();
  fd.append("file", Bun.file(wav), "Night drive (demo).wav");
  fd.append("style", "edm");
  const up = await fetch(`${s.url}/api/v2/master`, {
    method: "POST",
    body: fd,
    headers: { authorization: `Bearer ${session}` },
  });
  const job = (await up.json()) as { id: string; job_id: string };
  handle = job.job_id;
  await waitFor(() => s.jobs.get(job.id)?.status === "done", {
    what: `job ${job.id} done`,
    timeoutMs: 120_000,
  });
  const user = s.dbh.sqlite
    .query<{ id: number }, []>("SELECT id FROM users WHERE email = 'artist@example.com'")
    .get();
  createSqliteLedger(s.dbh, () => 0).credit(user?.id ?? 0, 10, { note: "welcome", actor: "cli" });
  mkdirSync(OUT, { recursive: true });
  if (noBrowser) return;
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
  await cleanup(dir);
});

type Shot = { name: string; path: () => string; signedIn: boolean; ready: string };
const PAGES: Shot[] = [
  { name: "master", path: () => "/", signedIn: false, ready: "body[data-ready]" },
  { name: "job", path: () => `/job/${handle}`, signedIn: false, ready: "#result:not([hidden])" },
  { name: "pricing", path: () => "/pricing", signedIn: false, ready: "li.plan" },
  { name: "account", path: () => "/account#history", signedIn: true, ready: "#history-table tbody tr" },
];

// Runs in the page (the test program is compiled without the DOM library).
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number; scrollHeight: number };
  body: { innerText: string };
};
const layout = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
    height: document.documentElement.scrollHeight,
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered (visible) text is what counts here
    text: document.body.innerText.length,
  }));

/** Shrinks a screenshot to a 64-colour palette PNG (what the README may commit). */
async function palette(from: string, to: string): Promise<void> {
  const p = Bun.spawn(
    [
      "ffmpeg",
      "-v",
      "error",
      "-y",
      "-i",
      from,
      "-vf",
      "split[a][b];[a]palettegen=max_colors=64[p];[b][p]paletteuse=dither=none",
      to,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  if ((await p.exited) !== 0) throw new Error(`ffmpeg: ${await new Response(p.stderr).text()}`);
}

describe("screenshots of the main pages", () => {
  for (const lang of ["en", "ru"] as const)
    for (const width of [1280, 360])
      it.skipIf(noBrowser)(
        `${lang} at ${width} px: text on screen, no horizontal scroll, saved`,
        async () => {
          const { context, page, problems } = await watchedPage(browser, {
            locale: lang === "ru" ? "ru-RU" : "en-US",
            viewport: { width, height: width === 360 ? 740 : 800 },
          });
          try {
            const cookie = { name: "mm_session", value: session, domain: new URL(s.url).hostname, path: "/" };
            for (const shot of PAGES) {
              if (shot.signedIn) await context.addCookies([cookie]);
              else await context.clearCookies();
              await page.goto(`${s.url}${shot.path()}`);
              await page.locator("body[data-ready]").waitFor();
              await page.locator(shot.ready).first().waitFor();
              const l = await layout(page);
              expect({ page: shot.name, scroll: l.scroll }).toEqual({ page: shot.name, scroll: l.width });
              expect(l.text).toBeGreaterThan(50);
              const file = join(OUT, `${shot.name}-${lang}-${width}.png`);
              await page.screenshot({ path: file, fullPage: true });
              expect(statSync(file).size).toBeGreaterThan(5_000);
              const name = `${shot.name}-${lang}-${width}.png`;
              if (process.env.MM_UPDATE_SCREENSHOTS && README_SHOTS.includes(name)) {
                mkdirSync(DOCS, { recursive: true });
                const viewport = join(OUT, `viewport-${name}`);
                // The top of the page, tall enough for the players and the first plots.
                await page.screenshot({
                  path: viewport,
                  fullPage: true,
                  clip: { x: 0, y: 0, width, height: Math.min(1150, l.height) },
                });
                await palette(viewport, join(DOCS, name));
              }
            }
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        },
      );

  it("the README shows two committed screenshots, each a PNG of at most 100 KB", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const name of README_SHOTS) {
      expect({ name, inReadme: readme.includes(`(docs/screenshots/${name})`) }).toEqual({
        name,
        inReadme: true,
      });
      const bytes = readFileSync(join(DOCS, name));
      expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
      expect(bytes.length).toBeLessThanOrEqual(MAX_DOC_BYTES);
    }
  });
});
