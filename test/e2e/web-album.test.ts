// Album mode on the web in real headless Chromium against the real service (loopback HTTP, real ffmpeg):
// before any byte is sent, one file is refused as too few for an album and a non-audio file is refused by
// name; three generated tracks at −14/−20/−17 LUFS are picked, reordered, and sent as one album (one POST
// /api/v2/batch). The album page follows every track to done over one stream, then shows the report
// measured on the delivered files: relative loudness kept within 0.5 LU, the verdict, the chart drawn.
// The zip holds the three results and album.json; a track's own download measures as its row says. A
// shared link (another browser) shows the report and the zip but no per-track links. RU, 360 px.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { cleanup, makeAlbumTracks, measure, tempDir } from "../fixtures/audio";
import { browserMissing } from "../fixtures/browser";
import { slowFfmpeg } from "../fixtures/slow-ffmpeg";
import { waitFor } from "../fixtures/wait";
import { paintedShare, recordUpload, uploadSeen, watchPage } from "../fixtures/web-page";
import { type Harness, startApi } from "../integration/api/harness";
import { startWebRig, stopWebRig } from "./web-rig";

declare class DataTransfer {
  items: { add(f: unknown): void };
}
declare const document: {
  querySelector(s: string): object | null;
  documentElement: { scrollWidth: number };
};

/** Screenshots for people to look at (git-ignored). */
const SHOTS = resolve(import.meta.dir, "../../dist/screenshots");
const noBrowser = browserMissing("the album web test");
const LEVELS = [-14, -20, -17];

let browser: Browser | null = null;
let h: Harness;
let dir = "";
let tracks: string[] = [];
let notAudio = "";

beforeAll(async () => {
  dir = await tempDir("mm-webalbum-");
  tracks = await makeAlbumTracks(dir, LEVELS);
  notAudio = join(dir, "cover.wav");
  writeFileSync(notAudio, "not a sound at all\n");
  ({ h, browser } = await startWebRig(noBrowser));
}, 120_000);
afterAll(() => stopWebRig(browser, h, dir));

/** The numbers of the report table's rows: [before, after, offset before, offset after, tp]. */
const reportRows = (page: import("playwright-core").Page) =>
  page.locator("#report-body tr").evaluateAll((rows) =>
    rows.map((r) => ({
      name: r.querySelector("th")?.textContent ?? "",
      cells: [...r.querySelectorAll("td")].slice(0, 5).map((td) => Number(td.textContent)),
    })),
  );

describe("album mode on the web", () => {
  it.skipIf(noBrowser)(
    "checks the files before upload, follows every track, reports the album, downloads zip and tracks",
    async () => {
      if (!browser) throw new Error("no browser");
      const context = await browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      const w = watchPage(page);
      await recordUpload(page);
      await page.goto(h.url);
      await page.waitForSelector("body[data-ready='1']");
      await page.check("#mode-album");
      expect(await page.textContent("#master-btn")).toBe("Master the album");
      expect(await page.isHidden("#reference")).toBe(true);

      // One file is not an album; a file that is not audio is refused by name; nothing is sent.
      await page.setInputFiles("#file", tracks[0] as string);
      await page.click("#master-btn");
      await page.waitForSelector("#file-error:not([hidden])");
      expect(await page.textContent("#file-error")).toBe("An album needs at least 2 tracks (1 chosen).");
      await page.setInputFiles("#file", [notAudio]);
      await page.waitForSelector("#file-error:has-text('cover.wav')");
      expect(await page.locator("#album-list li").count()).toBe(1);
      expect(w.writes).toEqual([]);

      // The other two; then the last moves up one: the running order is 1, 3, 2.
      await page.setInputFiles("#file", tracks.slice(1));
      await page.waitForSelector("#album-list li:nth-child(3)");
      expect(await page.textContent("#file-info")).toMatch(/^3 track\(s\)/);
      await page.click("#album-up-3");
      const order = await page.locator("#album-list li").allTextContents();
      expect(order.map((x) => x.split(" ")[0])).toEqual(["track1.wav", "track3.wav", "track2.wav"]);

      await page.click("#master-btn");
      await page.waitForURL(`${h.url}/album?**`, { timeout: 60_000 });
      expect(w.writes.map((x) => new URL(x.split(" ")[1] ?? "").pathname)).toEqual(["/api/v2/batch"]);
      const albumUrl = page.url();
      // One upload of all three, its bar by bytes to 100 % with every file's bytes sent.
      const seen = await uploadSeen(page);
      expect(seen.at(-1)?.value).toBe(100);
      const sizes = tracks.reduce((n, f) => n + statSync(f).size, 0);
      expect(Number(seen.at(-1)?.bytes)).toBeGreaterThanOrEqual(sizes);

      await page.waitForSelector("#album-status[data-finished=true]", { timeout: 300_000 });
      const rows = await page
        .locator("#tracks-body tr")
        .evaluateAll((r) =>
          r.map((x) => [x.querySelector("th")?.textContent, x.getAttribute("data-status")]),
        );
      expect(rows).toEqual([
        ["1. track1.wav", "done"],
        ["2. track3.wav", "done"],
        ["3. track2.wav", "done"],
      ]);
      expect(await page.getAttribute("#album-progress", "value")).toBe("100");

      // The report: the shape of the album kept (offsets from the loudest within 0.5 LU), within spec.
      await page.waitForSelector("#album-chart[data-drawn='1']", { timeout: 60_000 });
      const report = await reportRows(page);
      expect(report.map((r) => r.name)).toEqual(["1. track1.wav", "2. track3.wav", "3. track2.wav"]);
      for (const r of report) {
        const [, , offBefore, offAfter, tp] = r.cells as number[];
        expect(Math.abs((offAfter as number) - (offBefore as number))).toBeLessThanOrEqual(0.5);
        expect(tp as number).toBeLessThanOrEqual(-1);
      }
      expect(report[0]?.cells[1]).toBeCloseTo(-14, 0);
      expect(report.map((r) => Math.round(r.cells[2] as number))).toEqual([0, -3, -6]);
      expect(await page.getAttribute("#report-verdict", "data-ok")).toBe("true");
      const painted = await paintedShare(page, "#album-chart");
      expect(painted).toBeGreaterThan(0.01);

      // The zip: every result and album.json.
      const zipHref = (await page.getAttribute("#zip", "href")) ?? "";
      const zip = await page.request.get(`${h.url}${zipHref}`);
      expect(zip.status()).toBe(200);
      expect(zip.headers()["content-type"]).toContain("application/zip");
      const bytes = new TextDecoder("latin1").decode(await zip.body());
      expect(bytes.startsWith("PK")).toBe(true);
      for (const n of ["album.json", "track1", "track2", "track3"]) expect(bytes).toContain(n);

      // A track's own download is the delivered file its row describes.
      const href = (await page.getAttribute("#tracks-body tr:nth-child(3) a.track-download", "href")) ?? "";
      const res = await page.request.get(`${h.url}${href}`);
      expect(res.status()).toBe(200);
      const file = join(dir, "downloaded-track2.wav");
      writeFileSync(file, await res.body());
      const m = await measure(file);
      expect(Math.abs(m.lufs - (report[2]?.cells[1] as number))).toBeLessThanOrEqual(0.15);
      expect(await page.getAttribute("#tracks-body tr:nth-child(3) a:not(.track-download)", "href")).toMatch(
        /^\/job\/[A-Z0-9]+\.[\w-]+$/,
      );

      // A track's page links back to its album; the master page lists the album among the recent ones.
      const albumPath = albumUrl.slice(h.url.length);
      await page.click("#tracks-body tr:nth-child(1) a:not(.track-download)");
      await page.waitForSelector("#album-link:not([hidden])");
      expect(await page.getAttribute("#album-back", "href")).toBe(albumPath);
      await page.goto(h.url);
      await page.waitForSelector("#recent-albums:not([hidden])");
      expect(await page.getAttribute("#recent-albums-list li a", "href")).toBe(albumPath);
      await page.click("#recent-albums-list li a");
      await page.waitForSelector("#report-verdict[data-ok=true]", { timeout: 60_000 });

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "album-en-1280.png"), fullPage: true });
      // Russian, and a phone's width.
      await page.click("#lang-ru");
      await page.waitForFunction(() => document.querySelector("#album-chart") !== null);
      await page.waitForSelector("#report-summary:has-text('Стиль')");
      await page.setViewportSize({ width: 360, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "album-ru-360.png"), fullPage: true });
      expect(w.errors).toEqual([]);
      await context.close();

      // A shared link, opened in another browser: the report and the zip, no per-track links.
      const other = await browser.newContext({ locale: "en-US" });
      const page2 = await other.newPage();
      const w2 = watchPage(page2);
      await page2.goto(albumUrl);
      await page2.waitForSelector("#report-verdict[data-ok=true]", { timeout: 60_000 });
      expect(await page2.locator("a.track-download").count()).toBe(0);
      expect(await page2.isVisible("#zip")).toBe(true);
      expect(await page2.isVisible("#zip-hint")).toBe(true);
      // A wrong token: the server's refusal, in words (not an endless reconnect).
      await page2.goto(albumUrl.replace(/token=[^&]+/, "token=wrong-token-wrong-token-00"));
      await page2.waitForSelector("#error:not([hidden])");
      expect(await page2.textContent("#error")).toBe("Missing or wrong access token for this task.");
      expect(await page2.isHidden("#album")).toBe(true);
      // A link without its token says so and asks the server nothing.
      await page2.goto(`${h.url}/album?id=${new URL(albumUrl).searchParams.get("id")}`);
      await page2.waitForSelector("#error:not([hidden])");
      expect(await page2.textContent("#error")).toBe("This album link is incomplete.");
      // Chromium logs the one refused request (403) of the wrong-token visit; nothing else.
      expect(w2.errors.filter((e) => !e.includes("status of 403"))).toEqual([]);
      expect(w2.errors.length).toBeLessThanOrEqual(1);
      await other.close();
    },
    420_000,
  );

  it.skipIf(noBrowser)(
    "a reload mid-render resumes the album's progress; cancel stops the remaining tracks",
    async () => {
      if (!browser) throw new Error("no browser");
      // ffmpeg reads at real time (`-re`): each pass takes the track's duration, however fast the machine.
      const slow = await startApi({ MM_FFMPEG: slowFfmpeg() }, { web: true });
      try {
        const context = await browser.newContext({ locale: "en-US" });
        const page = await context.newPage();
        const w = watchPage(page);
        await page.goto(slow.url);
        await page.waitForSelector("body[data-ready='1']");
        await page.check("#mode-album");
        await page.setInputFiles("#file", [tracks[0] as string, tracks[2] as string]);
        await page.waitForSelector("#album-list li:nth-child(2)");
        await page.click("#master-btn");
        await page.waitForURL(`${slow.url}/album?**`, { timeout: 60_000 });
        const running = "#tracks-body tr[data-status=running]";
        await page.waitForSelector(running, { timeout: 120_000 });
        await page.reload();
        await page.waitForSelector(running, { timeout: 60_000 });
        expect(await page.getAttribute("#album-status", "data-finished")).toBe("false");
        expect(await page.locator("#tracks-body tr").count()).toBe(2);
        await page.click("#album-cancel");
        await page.waitForSelector("#album-status[data-finished=true]", { timeout: 120_000 });
        const ids = await page
          .locator("#tracks-body tr")
          .evaluateAll((r) => r.map((x) => x.getAttribute("data-track")));
        for (const id of ids)
          await waitFor(() => slow.jobs.get(id ?? "")?.status === "cancelled", {
            what: `track ${id} cancelled`,
          });
        expect(
          await page
            .locator("#tracks-body tr")
            .evaluateAll((r) => r.map((x) => x.getAttribute("data-status"))),
        ).toEqual(["cancelled", "cancelled"]);
        // Nothing delivered: the report is asked for and not shown.
        await page.waitForSelector("#report[data-loaded='1']", { state: "attached", timeout: 30_000 });
        expect(await page.isHidden("#report")).toBe(true);
        expect(await page.isHidden("#album-cancel")).toBe(true);
        expect(w.errors).toEqual([]);
        await context.close();
      } finally {
        await slow.stop();
        await cleanup(slow.dir);
      }
    },
    300_000,
  );

  it.skipIf(noBrowser)(
    "several files dropped on the one-track zone switch to album mode",
    async () => {
      if (!browser) throw new Error("no browser");
      const context = await browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      const w = watchPage(page);
      await page.goto(h.url);
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.isChecked("#mode-single")).toBe(true);
      const files = tracks.slice(0, 2).map((f) => ({
        name: f.split("/").at(-1) ?? "",
        b64: Buffer.from(readFileSync(f)).toString("base64"),
      }));
      const drop = await page.evaluateHandle((list) => {
        const dt = new DataTransfer();
        for (const f of list)
          dt.items.add(
            new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: "audio/wav" }),
          );
        return dt;
      }, files);
      await page.dispatchEvent("#drop", "drop", { dataTransfer: drop });
      await page.waitForSelector("#album-list li:nth-child(2)");
      expect(await page.isChecked("#mode-album")).toBe(true);
      expect(await page.textContent("#master-btn")).toBe("Master the album");
      expect(w.writes).toEqual([]);
      expect(w.errors).toEqual([]);
      await context.close();
    },
    60_000,
  );
});
