// The web app in a real browser (Debian Chromium via playwright-core): upload a generated track,
// watch SSE progress, get the before/after report, play and download the master; the status page.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { makeMusic, measure, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";

// These run inside the page; the test program itself is compiled without the DOM library.
type PageElement = { getAttribute(name: string): string | null; readyState: number; value: number };
declare const document: { querySelector(selector: string): PageElement | null };

const SHOTS = resolve(import.meta.dir, "../../dist/screenshots");
const noBrowser = browserMissing("web app browser tests");

let browser: Browser | null = null;
let service: RunningService;
let track: string;

beforeAll(async () => {
  const dir = await tempDir("mm-web-");
  track = await makeMusic(dir, { durationS: 3, name: "Мой трек.wav" });
  service = await startService(
    loadConfig({ PORT: "0", MM_DATA_DIR: join(dir, "data"), MM_WORKERS: "1" }),
    silentLogger,
  );
  if (noBrowser) return; // the tests below are skipped (and say why)
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe("web app", () => {
  it.skipIf(noBrowser)(
    "masters an uploaded track with live progress, shows the report in Russian, plays and downloads it",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "ru-RU" });
      const consoleErrors: string[] = [];
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.textContent("h1")).toContain("мастеринг");
      expect(await page.locator("#style option").count()).toBeGreaterThanOrEqual(8);
      await page.selectOption("#style", "edm");
      await page.selectOption("#format", "mp3");
      await page.setInputFiles("#file", track);
      await page.click("#master-btn");
      await page.waitForFunction(
        () => document.querySelector("#job-status")?.getAttribute("data-status") === "done",
        null,
        {
          timeout: 60_000,
        },
      );
      const status = (await page.textContent("#job-status")) ?? "";
      expect(status).toMatch(/^Задача #[A-Z0-9]+ готова/);
      expect(await page.locator("#job-progress").evaluate((p) => (p as unknown as PageElement).value)).toBe(
        100,
      );
      const cells = await page.locator("#report tbody tr").first().locator("td").allTextContents();
      expect(cells[0]).toContain("LUFS");
      expect(Number(cells[2])).toBeCloseTo(-9, 0);
      await page.waitForFunction(() => (document.querySelector("#player")?.readyState ?? 0) >= 1, null, {
        timeout: 20_000,
      });
      const link = await page.getAttribute("#download", "href");
      expect(link).toContain("token=");
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      expect(download.suggestedFilename()).toBe("Мой трек_master.mp3");
      const saved = join(await tempDir("mm-dl-"), "out.mp3");
      await download.saveAs(saved);
      const m = await measure(saved);
      expect(Math.abs(m.lufs - -9)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(-1.0);
      await page.screenshot({ path: join(SHOTS, "web-done.png"), fullPage: true });
      expect(consoleErrors).toEqual([]);
      await page.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "shows a clear error in English for a file that is not audio, and nothing is queued",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "en-US" });
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.click("#lang-en");
      await page.setInputFiles("#file", {
        name: "notes.wav",
        mimeType: "audio/wav",
        buffer: Buffer.from("just some text, not audio"),
      });
      await page.click("#master-btn");
      await page.waitForSelector("#error:not([hidden])");
      const error = (await page.textContent("#error")) ?? "";
      expect(error.length).toBeGreaterThan(10);
      expect(error).not.toContain("HTTP");
      expect(error).not.toMatch(/[А-Яа-я]/);
      expect(await page.isHidden("#job")).toBe(true);
      await page.close();
    },
    30_000,
  );

  it.skipIf(noBrowser)(
    "analyses a file without mastering it and shows the measured loudness",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "en-US" });
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.click("#lang-en");
      expect(await page.locator("#format option", { hasText: "MP3 320 kbps" }).count()).toBe(1);
      expect(await page.locator("#preset option", { hasText: "Spotify (-14 LUFS)" }).count()).toBe(1);
      expect(await page.locator("#style option", { hasText: "undefined" }).count()).toBe(0);
      await page.setInputFiles("#file", track);
      await page.click("#analyze-btn");
      await page.waitForSelector("#result:not([hidden])", { timeout: 60_000 });
      const cells = await page.locator("#report tbody tr").first().locator("td").allTextContents();
      expect(cells[0]).toContain("LUFS");
      expect(Number(cells[1])).toBeLessThan(-10);
      expect(cells[2]).toBe("—");
      await page.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "renders the status page with the service state",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "en-US" });
      const res = await page.goto(`${service.url}/status`);
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute("#overall", "data-status")).toBe("ok");
      expect(await page.textContent("body")).toContain("ffmpeg");
      await page.screenshot({ path: join(SHOTS, "status.png") });
      await page.close();
    },
    30_000,
  );
});
