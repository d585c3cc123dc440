// The master page's reference, intensity, mix and auto style in real headless Chromium against the real
// service (loopback HTTP, real ffmpeg). Before any byte is sent: a reference that is not audio is refused
// next to the reference picker, no more than 3 references can be added, and matching nothing is refused
// next to the aspects. Then a track with two references (the track with ±6 dB shelves, a known EQ)
// weighted 10 : 5, matching tone and loudness only, style auto, intensity high, mix 80 % is mastered: the
// job carries exactly those settings, and its result page shows why auto chose its style, the reference
// match per aspect with the server's residuals and weights, the corrective EQ curve drawn, and the
// changes as numbers.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { makeMusic, tempDir } from "../fixtures/audio";
import { browserMissing } from "../fixtures/browser";
import { paintedShare, recordUpload, uploadSeen, watchPage } from "../fixtures/web-page";
import { type Harness, until } from "../integration/api/harness";
import { startWebRig, stopWebRig } from "./web-rig";

declare const document: {
  querySelector(
    s: string,
  ): { value: string; textContent: string | null; dispatchEvent(e: unknown): void } | null;
  documentElement: { scrollWidth: number };
};
declare const Event: new (type: string) => unknown;

const FFMPEG = process.env.MM_FFMPEG ?? "ffmpeg";
/** Screenshots for people to look at (git-ignored). */
const SHOTS = resolve(import.meta.dir, "../../dist/screenshots");
const noBrowser = browserMissing("the reference/intensity web test");

let browser: Browser | null = null;
let h: Harness;
let dir = "";
let track = "";
let ref = "";
let notAudio = "";

beforeAll(async () => {
  dir = await tempDir("mm-webref-");
  track = await makeMusic(dir, { durationS: 8, name: "song.wav" });
  ref = join(dir, "reference.wav");
  const p = Bun.spawn(
    [
      FFMPEG,
      "-hide_banner",
      "-nostdin",
      "-y",
      "-i",
      track,
      "-af",
      "lowshelf=f=150:g=6,highshelf=f=6000:g=-6",
      ref,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  expect(await p.exited).toBe(0);
  notAudio = join(dir, "notes.wav");
  writeFileSync(notAudio, "these are lyrics, not audio; a browser must refuse them before upload\n");
  ({ h, browser } = await startWebRig(noBrowser));
}, 120_000);
afterAll(() => stopWebRig(browser, h, dir));

describe("master page: reference, intensity, mix, auto style", () => {
  it.skipIf(noBrowser)(
    "checks references before upload, sends the chosen settings, and the result explains the match",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "en-US" });
      const w = watchPage(page);
      await recordUpload(page);
      await page.goto(h.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.setInputFiles("#file", track);
      await page.waitForSelector("#file-info:not(:empty)");

      // Not audio: refused by the reference picker, nothing added.
      await page.setInputFiles("#ref-file", notAudio);
      await page.waitForSelector("#ref-file-error:not([hidden])");
      expect(await page.textContent("#ref-file-error")).toContain("notes.wav");
      expect(await page.locator("#refs li").count()).toBe(0);
      expect(await page.isHidden("#match")).toBe(true);

      // Three at most: the picker goes away with the third; four picked at once keep three and say so.
      await page.setInputFiles("#ref-file", [ref, ref, ref, ref]);
      await page.waitForFunction(() => document.querySelector("#refs li:nth-child(3)") !== null);
      expect(await page.locator("#refs li").count()).toBe(3);
      expect(await page.textContent("#ref-file-error")).toContain("At most 3");
      expect(await page.isHidden("#ref-drop")).toBe(true);
      expect(await page.isVisible("#ref-full")).toBe(true);
      // With several, each has a weight and its share.
      await page.fill("#ref-weight-1", "10");
      await page.dispatchEvent("#ref-weight-1", "change");
      expect(await page.textContent("#refs li:nth-child(1) .ref-share")).toBe("= 50 %");
      // Two stay, weighted 10 : 5.
      await page.click("#ref-remove-3");
      expect(await page.locator("#refs li").count()).toBe(2);
      expect(await page.textContent("#refs li:nth-child(1) .ref-share")).toBe("= 67 %");
      expect(await page.isVisible("#ref-drop")).toBe(true);

      // Matching nothing is refused next to the aspects, before upload.
      for (const a of ["tone", "loudness", "width", "dynamics"]) await page.uncheck(`#match-${a}`);
      await page.click("#master-btn");
      await page.waitForSelector("#match-error:not([hidden])");
      expect(await page.textContent("#match-error")).toBe("Choose at least one thing to match.");
      expect(w.writes).toEqual([]);

      await page.check("#match-tone");
      await page.check("#match-loudness");
      expect(await page.isHidden("#match-error")).toBe(true);
      await page.selectOption("#style", "auto");
      await page.check("#intensity-high");
      expect(await page.textContent("#intensity-desc")).toContain("more compression");
      await page.evaluate(() => {
        const mix = document.querySelector("#mix");
        if (!mix) throw new Error("no #mix");
        mix.value = "80";
        mix.dispatchEvent(new Event("input"));
      });
      expect(await page.textContent("#mix-value")).toBe("80 %");

      await page.click("#master-btn");
      await page.waitForURL(`${h.url}/job/**`, { timeout: 60_000 });
      expect(w.writes.filter((x) => x.startsWith("POST ")).map((x) => new URL(x.slice(5)).pathname)).toEqual([
        "/api/v2/master",
      ]);
      // The reference went with the track, counted in the upload's bytes.
      const seen = await uploadSeen(page);
      expect(seen.at(-1)?.value).toBe(100);
      expect(Number(seen.at(-1)?.bytes)).toBeGreaterThanOrEqual(statSync(track).size + statSync(ref).size);
      const id = /\/job\/([A-Z0-9]+)\./.exec(page.url())?.[1] ?? "";
      const job = await until(
        "the master to finish",
        () => h.jobs.get(id),
        (j) => j?.status === "done" || j?.status === "failed",
        240_000,
      );
      expect(job?.status).toBe("done");
      expect(job?.settings).toMatchObject({
        style: "auto",
        intensity: "high",
        mix: 80,
        reference: { match: ["tone", "loudness"], weights: [10, 5] },
      });
      const changes = job?.analysis_after?.changes;
      expect(changes?.intensity).toBe("high");
      expect(changes?.mix_pct).toBe(80);
      expect(changes?.reference?.aspects).toEqual(["tone", "loudness"]);
      const residual = changes?.reference?.residual;
      if (typeof residual?.tone_db_rms !== "number" || typeof residual.loudness_lu !== "number")
        throw new Error("no residuals in the report");

      // The result page: why auto chose, the match per aspect with the server's numbers, the EQ curve.
      await page.waitForSelector("#reference-report", { timeout: 60_000 });
      const auto = changes?.auto_style;
      expect(await page.getAttribute("#auto-style", "data-style")).toBe(auto?.style ?? "?");
      expect(await page.textContent("#auto-style")).toMatch(/^Auto style: .+ — /);
      expect(await page.textContent("#reference-aspects")).toBe(
        "Matched: Tone, Loudness. Reference weights: 67 % / 33 %.",
      );
      expect(
        await page
          .locator("#reference-table tbody tr")
          .evaluateAll((r) => r.map((x) => x.getAttribute("data-aspect"))),
      ).toEqual(["tone", "loudness"]);
      expect(await page.textContent("#reference-table tr[data-aspect=tone]")).toContain(
        `${residual.tone_db_rms.toFixed(1)} dB RMS`,
      );
      const lu = residual.loudness_lu;
      expect(await page.textContent("#reference-table tr[data-aspect=loudness]")).toContain(
        `${lu > 0 ? "+" : ""}${lu.toFixed(2)} LU`,
      );
      await page.waitForSelector("#plot-ref-eq[data-drawn='1']");
      const painted = await paintedShare(page, "#plot-ref-eq");
      expect(painted).toBeGreaterThan(0.01);
      expect(await page.textContent("#changes-data tr[data-stage=intensity]")).toContain("High");
      expect(await page.textContent("#changes-data tr[data-stage=mix]")).toContain("80 %");

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "reference-en-1280.png"), fullPage: true });
      // The same report in Russian.
      await page.click("#lang-ru");
      await page.waitForFunction(() =>
        document.querySelector("#reference-aspects")?.textContent?.startsWith("Подогнано"),
      );
      expect(await page.textContent("#reference-aspects")).toContain("Тембр, Громкость");

      await page.setViewportSize({ width: 360, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "reference-ru-360.png"), fullPage: true });
      expect(w.errors).toEqual([]);
      await page.close();
    },
    300_000,
  );
});
