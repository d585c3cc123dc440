// The result page in real headless Chromium against the real service (loopback HTTP, real ffmpeg): a
// generated 10-s track with a quiet first third is mastered, then /job/<handle> shows the result — before
// and after play together, the A/B switch (button and the A key) keeps the position and moves the sound
// to the other player, loudness-matched by the measured difference; the waveform, loudness and spectrum
// canvases are drawn (not blank, and the input's quiet third shows); the platform report and the numbers
// are the server's; the master and an MP3 made on demand download and measure within spec; no
// horizontal scroll at 360 px.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { analyze, type PlatformPlayback } from "../../src/audio";
import { t } from "../../src/i18n";
import { makeMusic, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { watchPage } from "../fixtures/web-page";
import { form, type Harness, startApi, until } from "../integration/api/harness";
import { stopWebRig } from "./web-rig";

type Audio = { currentTime: number; paused: boolean; muted: boolean; volume: number; readyState: number };
type Canvas = {
  width: number;
  height: number;
  getContext(k: "2d"): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
};
declare const document: {
  querySelector(s: string): (Audio & Canvas & { value: string; dispatchEvent(e: unknown): void }) | null;
  documentElement: { scrollWidth: number };
};
declare const Event: new (type: string) => unknown;

const SHOTS = resolve(import.meta.dir, "../../dist/screenshots");
const noBrowser = browserMissing("the result page test");

let browser: Browser | null = null;
let h: Harness;
let dir: string;
let job: { id: string; handle: string; token: string };

/** Both players read in one evaluation (separate round trips would measure the test's own latency). */
const both = (page: Page) =>
  page.evaluate(() => {
    const read = (sel: string) => {
      const a = document.querySelector(sel) as Audio;
      return { t: a.currentTime, paused: a.paused, muted: a.muted };
    };
    return { before: read("#ab-before"), after: read("#ab-after") };
  });

const audio = (page: Page, id: string) =>
  page.evaluate((sel) => {
    const a = document.querySelector(sel) as Audio;
    return { t: a.currentTime, paused: a.paused, muted: a.muted, volume: a.volume, ready: a.readyState };
  }, `#${id}`);

/** Painted pixels of a canvas, and how many of them sit in its left and right thirds. */
const paint = (page: Page, id: string) =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel) as Canvas;
    const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    let all = 0;
    let left = 0;
    let right = 0;
    for (let i = 3; i < data.length; i += 4) {
      if ((data[i] as number) === 0) continue;
      all++;
      const x = ((i - 3) / 4) % c.width;
      if (x < c.width / 3) left++;
      else if (x >= (2 * c.width) / 3) right++;
    }
    return { all, left, right, size: c.width * c.height };
  }, `#${id}`);

beforeAll(async () => {
  dir = await tempDir("mm-webresult-");
  mkdirSync(SHOTS, { recursive: true });
  const track = await makeMusic(dir, { durationS: 10, name: "take.wav" });
  h = await startApi({}, { web: true });
  const res = await fetch(`${h.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "take.wav", data: track }], {
      settings: JSON.stringify({ format: "wav24", target_lufs: -14, ceiling_dbtp: -1 }),
    }),
  });
  const b = (await res.json()) as { id: string; job_id: string; token: string };
  job = { id: b.id, handle: b.job_id, token: b.token };
  await until(
    "the master to finish",
    () => h.jobs.get(b.id)?.status,
    (s) => s === "done" || s === "failed",
    120_000,
  );
  if (noBrowser) return;
  browser = await launchBrowser();
}, 180_000);
afterAll(() => stopWebRig(browser, h, dir));

describe("result page", () => {
  it.skipIf(noBrowser)(
    "plays before and after in step, switches A/B keeping the position, draws the plots, downloads within spec",
    async () => {
      if (!browser) throw new Error("no browser");
      expect(h.jobs.get(job.id)?.status).toBe("done");
      const view = h.jobs.get(job.id);
      const before = view?.analysis_before?.integrated_lufs as number;
      const after = view?.analysis_after?.integrated_lufs as number;
      const page = await browser.newPage({ locale: "en-US", acceptDownloads: true });
      const w = watchPage(page);
      await page.goto(`${h.url}/job/${job.handle}`);
      await page.waitForSelector("#result[data-plots='drawn']", { timeout: 60_000 });

      // Plots: every canvas painted; the input's quiet first third shows in its waveform.
      for (const id of ["plot-wave-before", "plot-wave-after", "plot-loudness", "plot-spectrum"]) {
        const p = await paint(page, id);
        expect(p.all, id).toBeGreaterThan(p.size * 0.01);
      }
      const wave = await paint(page, "plot-wave-before");
      expect(wave.left).toBeLessThan(wave.right * 0.7);

      // Numbers and the platform report are the server's, for the delivered file.
      expect(await page.textContent("#report")).toContain(after.toFixed(1));
      const rows = await page.locator("#platforms tbody tr").count();
      expect(rows).toBeGreaterThanOrEqual(7);
      const spotify = page.locator("#platforms tbody tr[data-platform^='spotify']").first();
      expect((await spotify.textContent()) ?? "").toMatch(/Spotify.*LUFS/);
      // Every row holds the job result's own numbers, as GET /api/jobs/:id answers them.
      const api = (await (await fetch(`${h.url}/api/jobs/${job.id}?token=${job.token}`)).json()) as {
        analysis_after: { platforms: PlatformPlayback[] };
      };
      const platforms = api.analysis_after.platforms;
      expect(platforms).toEqual((view?.analysis_after?.platforms ?? []) as PlatformPlayback[]);
      expect(rows).toBe(platforms.length);
      const num = (x: string | undefined) => Number((x ?? "").replace("−", "-"));
      for (const p of platforms) {
        const cells = await page
          .locator(`#platforms tbody tr[data-platform='${p.id}'] > *`)
          .allTextContents();
        expect(cells[0]).toBe(p.name);
        expect([num(cells[1]), num(cells[2]), num(cells[3])]).toEqual([
          p.plays_at_lufs,
          p.gain_db,
          p.true_peak_after_dbtp,
        ]);
        expect(cells[4]).toBe(t("en", p.message.key, p.message.params));
      }

      // Both players load; play starts both, only "after" is heard, turned down to the input's loudness.
      await page.waitForFunction(
        () =>
          (document.querySelector("#ab-before")?.readyState ?? 0) >= 2 &&
          (document.querySelector("#ab-after")?.readyState ?? 0) >= 2,
        null,
        { timeout: 30_000 },
      );
      await page.click("#ab-play");
      await page.waitForFunction(() => (document.querySelector("#ab-after")?.currentTime ?? 0) > 1.5, null, {
        timeout: 30_000,
      });
      const a1 = await audio(page, "ab-after");
      const b1 = await audio(page, "ab-before");
      expect(a1.paused).toBe(false);
      expect(b1.paused).toBe(false);
      expect(a1.muted).toBe(false);
      expect(b1.muted).toBe(true);
      expect(a1.volume).toBeCloseTo(10 ** (-(after - before) / 20), 2);
      expect(b1.volume).toBe(1);

      // The A key: "before" is heard from where "after" was, both still playing, in step.
      const at = (await audio(page, "ab-after")).t;
      await page.keyboard.press("a");
      await page.waitForSelector("#ab-now[data-active='before']");
      const { before: b2, after: a2 } = await both(page);
      expect(b2.muted).toBe(false);
      expect(a2.muted).toBe(true);
      expect(b2.paused || a2.paused).toBe(false);
      expect(b2.t).toBeGreaterThanOrEqual(at - 0.1);
      expect(Math.abs(b2.t - a2.t)).toBeLessThan(0.25);
      // The button switches back, again without a jump.
      await page.waitForFunction(
        (t0) => (document.querySelector("#ab-before")?.currentTime ?? 0) > t0 + 0.5,
        b2.t,
        {
          timeout: 30_000,
        },
      );
      const b3 = await audio(page, "ab-before");
      await page.click("#ab-switch");
      await page.waitForSelector("#ab-now[data-active='after']");
      const { before: b4, after: a4 } = await both(page);
      expect(a4.muted).toBe(false);
      expect(a4.t).toBeGreaterThanOrEqual(b3.t - 0.1);
      expect(Math.abs(a4.t - b4.t)).toBeLessThan(0.25);

      // Seeking moves both players.
      await page.evaluate(() => {
        const s = document.querySelector("#ab-seek");
        if (!s) return;
        s.value = "6";
        s.dispatchEvent(new Event("input"));
      });
      await page.waitForFunction(
        () =>
          Math.abs((document.querySelector("#ab-after")?.currentTime ?? 0) - 6) < 0.6 &&
          Math.abs((document.querySelector("#ab-before")?.currentTime ?? 0) - 6) < 0.6,
        null,
        { timeout: 10_000 },
      );
      await page.click("#ab-play");
      await page.waitForFunction(() => document.querySelector("#ab-after")?.paused === true);
      await page.screenshot({ path: join(SHOTS, "web-result.png"), fullPage: true });

      // Download the master and measure it.
      const [master] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      expect(master.suggestedFilename()).toBe("take_master.wav");
      const wav = join(dir, "master.wav");
      await master.saveAs(wav);
      const m = await analyze(wav);
      expect(Math.abs((m.integrated_lufs as number) - -14)).toBeLessThanOrEqual(0.3);
      expect(m.true_peak_dbtp as number).toBeLessThanOrEqual(-1);

      // Another format on demand: an MP3 of the same master, ready, downloaded and within spec.
      await page.click("#format-mp3");
      const ready = page.locator("#formats li[data-format='mp3'][data-status='ready'] a");
      await ready.waitFor({ timeout: 60_000 });
      const [mp3] = await Promise.all([page.waitForEvent("download"), ready.click()]);
      expect(mp3.suggestedFilename()).toBe("take_master.mp3");
      const file = join(dir, "alt.mp3");
      await mp3.saveAs(file);
      const x = await analyze(file);
      expect(x.codec).toBe("mp3");
      expect(Math.abs((x.integrated_lufs as number) - -14)).toBeLessThanOrEqual(0.5);
      expect(x.true_peak_dbtp as number).toBeLessThanOrEqual(-1);

      // 360 px wide: no horizontal scroll.
      await page.setViewportSize({ width: 360, height: 800 });
      await page.waitForFunction(() => document.documentElement.scrollWidth <= 360, null, {
        timeout: 10_000,
      });
      await page.screenshot({ path: join(SHOTS, "web-result-360.png"), fullPage: true });
      expect(w.errors).toEqual([]);
      await page.close();
    },
    240_000,
  );
});
