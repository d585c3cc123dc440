// The master page and the job page in a real browser (Debian Chromium via playwright-core), against the real
// service (real ffmpeg, SQLite in a temp dir, HTTP over loopback): a generated 10-s track is uploaded with
// progress in bytes to 100 %, the job page /job/<handle> follows it over SSE to 100 %, the master is
// downloaded and measured; the job is listed on the master page afterwards; a wrong type and an over-limit
// file are refused in the browser with no request reaching the server.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { makeMusic, measure, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { recordUpload, uploadSeen, watchPage } from "../fixtures/web-page";

// These run inside the page; the test program itself is compiled without the DOM library.
type El = { getAttribute(name: string): string | null; value: number; textContent: string | null };
declare const document: {
  querySelector(selector: string): El | null;
  addEventListener(type: string, fn: () => void): void;
  documentElement: unknown;
};

const SHOTS = resolve(import.meta.dir, "../../dist/screenshots");
const noBrowser = browserMissing("web app browser tests");

let browser: Browser | null = null;
let service: RunningService;
let dir: string;
let track: string;
let bigMp3: string;

beforeAll(async () => {
  dir = await tempDir("mm-web-");
  track = await makeMusic(dir, { durationS: 10, name: "Мой трек.wav", codec: "pcm_s16le" });
  // Over the 1 MB lossy limit this service is started with (80 s at 128 kbps ≈ 1.3 MB).
  bigMp3 = await makeMusic(dir, { durationS: 80, name: "long.mp3", codec: "libmp3lame" });
  service = await startService(
    loadConfig({
      PORT: "0",
      MM_DATA_DIR: join(dir, "data"),
      MM_WORKERS: "1",
      MM_UPLOAD_MAX_MB_LOSSY: "1",
    }),
    silentLogger,
  );
  if (noBrowser) return; // the tests below are skipped (and say why)
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const jobCount = () =>
  service.dbh.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM jobs").get()?.n ?? 0;

describe("master page → job page", () => {
  it.skipIf(noBrowser)(
    "uploads a 10-s track with byte progress to 100 %, follows the job to 100 %, downloads and measures the master",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "ru-RU" });
      const w = watchPage(page);
      await recordUpload(page);
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.textContent("h1")).toBe("Мастеринг трека");
      // Styles with their one-line description; the advanced panel is the style's default chain.
      expect(await page.locator("#style option").count()).toBeGreaterThanOrEqual(9);
      await page.selectOption("#style", "edm");
      await page.waitForFunction(
        () => (document.querySelector("#style-desc")?.textContent ?? "").length > 10,
      );
      await page.click("#advanced summary");
      await page.waitForSelector("#mod-highpass-freq_hz");
      expect(await page.inputValue("#mod-highpass-freq_hz")).not.toBe("");
      await page.selectOption("#format", "mp3");
      await page.setInputFiles("#file", track);
      await page.waitForFunction(() =>
        (document.querySelector("#file-info")?.textContent ?? "").includes("Мой трек"),
      );
      await page.click("#master-btn");
      await page.waitForURL(/\/job\/[A-Z0-9]+\.[\w-]+$/, { timeout: 60_000 });
      const seen = await uploadSeen(page);
      // The bar moved by bytes and ended at 100 % with every byte of the multipart body sent (≥ the file).
      expect(seen.at(-1)?.value).toBe(100);
      expect(Number(seen.at(-1)?.bytes)).toBeGreaterThanOrEqual(statSync(track).size);
      await page.waitForFunction(
        () => document.querySelector("#job-status")?.getAttribute("data-status") === "done",
        null,
        {
          timeout: 90_000,
        },
      );
      expect(await page.locator("#job-progress").evaluate((p) => (p as unknown as El).value)).toBe(100);
      expect((await page.textContent("#job-status")) ?? "").toMatch(/^Задача #[A-Z0-9]+ готова/);
      expect(await page.textContent("#job-file")).toContain("Мой трек.wav");
      const link = await page.getAttribute("#download", "href");
      expect(link).toContain("token=");
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      expect(download.suggestedFilename()).toBe("Мой трек_master.mp3");
      const saved = join(dir, "out.mp3");
      await download.saveAs(saved);
      const m = await measure(saved);
      expect(Math.abs(m.lufs - -14)).toBeLessThanOrEqual(0.5);
      expect(m.tp).toBeLessThanOrEqual(-1.0);
      await page.screenshot({ path: join(SHOTS, "web-job-done.png"), fullPage: true });

      // The master page remembers this browser's job (with its token) and shows its state.
      const id = /\/job\/([A-Z0-9]+)\./.exec(page.url())?.[1] ?? "";
      await page.goto(service.url);
      await page.waitForSelector(`#recent-list a:has-text("#${id}")`);
      await page.waitForSelector("#recent-list .state[data-status=done]");
      expect(await page.getAttribute(`#recent-list a:has-text("#${id}")`, "href")).toContain(`/job/${id}.`);
      expect(w.errors).toEqual([]);
      expect(w.writes.filter((p) => p.includes("/api/v2/master"))).toHaveLength(1);
      await page.close();
    },
    180_000,
  );

  it.skipIf(noBrowser)(
    "a refusal from the server (a WAV header over noise bytes) is shown in Russian next to the file control",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "ru-RU" });
      const w = watchPage(page);
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      const before = jobCount();
      // Passes the browser's check (RIFF/WAVE magic), fails the server's ffprobe validation.
      const fake = Buffer.concat([
        Buffer.from("RIFF\x24\x00\x10\x00WAVEfmt ", "latin1"),
        Buffer.alloc(64 * 1024, 7),
      ]);
      await page.setInputFiles("#file", { name: "broken.wav", mimeType: "audio/wav", buffer: fake });
      await page.waitForSelector("#file-info:not(:empty)");
      await page.click("#master-btn");
      await page.waitForSelector("#file-error:not([hidden])", { timeout: 30_000 });
      const text = (await page.textContent("#file-error")) ?? "";
      expect(text).toMatch(/[А-Яа-я]/);
      expect(text).not.toMatch(/HTTP|audio_|_/);
      expect(await page.getAttribute("#file", "aria-describedby")).toBe("file-error");
      expect(await page.isHidden("#master-btn-error")).toBe(true);
      expect(page.url()).toBe(`${service.url}/`);
      expect(w.writes.filter((x) => x.includes("/api/v2/master"))).toHaveLength(1);
      expect(jobCount()).toBe(before);
      // Chromium logs the refused upload (4xx) as a failed resource load; nothing else went wrong.
      expect(w.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
      await page.close();
    },
    60_000,
  );

  it.skipIf(noBrowser)(
    "a file that is not audio and an over-limit file are refused before upload, in the remembered page language",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "ru-RU" });
      const w = watchPage(page);
      await page.goto(service.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.click("#lang-en");
      await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Master a track");
      // The switch is remembered: a Russian browser reloading the page stays in English.
      await page.reload();
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.textContent("h1")).toBe("Master a track");
      expect(await page.getAttribute("#lang-en", "aria-pressed")).toBe("true");
      const before = jobCount();

      // Text named .wav: the first bytes say it is not audio.
      await page.setInputFiles("#file", {
        name: "notes.wav",
        mimeType: "audio/wav",
        buffer: Buffer.from("just some text, not audio"),
      });
      await page.waitForSelector("#file-error:not([hidden])");
      expect(await page.textContent("#file-error")).toBe(
        "“notes.wav” is not an audio file we accept (WAV, AIFF, FLAC, MP3, M4A, OGG/Opus).",
      );
      expect(await page.getAttribute("#file", "aria-invalid")).toBe("true");
      await page.click("#master-btn");
      expect(await page.textContent("#file-error")).toBe("Choose a file first.");

      // A real MP3 over the lossy limit (1 MB here): refused with its size and the limit.
      await page.setInputFiles("#file", bigMp3);
      await page.waitForFunction(() =>
        (document.querySelector("#file-error")?.textContent ?? "").includes("long.mp3"),
      );
      expect(await page.textContent("#file-error")).toMatch(
        /^“long\.mp3” is 1\.\d\d MB; your limit for this format is 1 MB\.$/,
      );
      await page.click("#master-btn");
      expect(await page.isHidden("#upload")).toBe(true);
      expect(page.url()).toBe(`${service.url}/`);
      // Nothing left the browser but GETs, and the server has no new job.
      expect(w.writes).toEqual([]);
      expect(jobCount()).toBe(before);
      expect(w.errors).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
