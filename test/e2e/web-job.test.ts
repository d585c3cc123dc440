// The job page is refresh-safe: reloading /job/<handle> mid-render resumes the live progress (same job,
// running, its stage), a bare /job/<ID> opened in the same browser finds its token again, and cancel ends
// the render. ffmpeg is made slow by construction (`-re`: every pass takes the track's duration), so the
// job is still rendering when the page reloads, however fast the machine.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser } from "playwright-core";
import { makeMusic, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { slowFfmpeg } from "../fixtures/slow-ffmpeg";
import { waitFor } from "../fixtures/wait";
import { watchPage } from "../fixtures/web-page";
import { type Harness, startApi } from "../integration/api/harness";

type El = { getAttribute(name: string): string | null; value: number };
declare const document: { querySelector(selector: string): El | null };

const noBrowser = browserMissing("the job page reload test");

let browser: Browser | null = null;
let h: Harness;
let track: string;

beforeAll(async () => {
  track = await makeMusic(await tempDir("mm-webjob-"), { durationS: 30, name: "long take.wav" });
  h = await startApi({ MM_FFMPEG: slowFfmpeg() }, { web: true });
  if (noBrowser) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const statusIs = (s: string) => document.querySelector("#job-status")?.getAttribute("data-status") === s;

describe("job page", () => {
  it.skipIf(noBrowser)(
    "a reload mid-render resumes the job's live progress; a bare ID finds its token; cancel stops it",
    async () => {
      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "en-US" });
      const w = watchPage(page);
      await page.goto(h.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.setInputFiles("#file", track);
      await page.waitForSelector("#file-info:not(:empty)");
      await page.click("#master-btn");
      await page.waitForURL(`${h.url}/job/**`, { timeout: 30_000 });
      const url = page.url();
      const id = /\/job\/([A-Z0-9]+)\./.exec(url)?.[1] ?? "";
      await page.waitForFunction(statusIs, "running", { timeout: 60_000 });
      expect(h.jobs.get(id)?.status).toBe("running");

      await page.reload();
      await page.waitForSelector("body[data-ready='1']");
      // Same job, still rendering, its progress streaming again after the reload.
      expect(page.url()).toBe(url);
      await page.waitForFunction(statusIs, "running", { timeout: 30_000 });
      expect(await page.textContent("#job-title")).toBe(`Task #${id}`);
      await page.waitForFunction(() => (document.querySelector("#job-progress")?.value ?? 0) > 0, null, {
        timeout: 60_000,
      });
      expect(await page.textContent("#job-status")).toMatch(new RegExp(`^Task #${id}: [a-z ]+ — \\d+%$`));

      // The bare id: this browser remembered the job's token.
      await page.goto(`${h.url}/job/${id}`);
      await page.waitForFunction(statusIs, "running", { timeout: 30_000 });
      await page.click("#cancel-btn");
      await page.waitForFunction(statusIs, "cancelled", { timeout: 30_000 });
      await waitFor(() => h.jobs.get(id)?.status === "cancelled", { what: "the job to be cancelled" });
      expect(await page.isHidden("#cancel-btn")).toBe(true);
      expect(w.errors).toEqual([]);
      await page.close();
    },
    180_000,
  );
});
