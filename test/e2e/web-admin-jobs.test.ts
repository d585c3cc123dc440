// Issue 14 point 5 in Chromium under the real CSP, against the running service (startService: HTTP on
// loopback, SQLite in a temp dir, billing on, real ffmpeg behind a gate the test opens): on a job's admin
// page the admin cancels a running job (its charge is refunded), retries a failed one charged and another
// free (the page moves to the new job; the ledger rows prove the charge or its absence), and deletes a
// done job's result (the file goes, the download answers 410).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { makeMusic } from "../fixtures/audio";
import { browserMissing, type WatchedPage } from "../fixtures/browser";
import { waitFor } from "../fixtures/wait";
import type { AdminFixture } from "../integration/admin/fixture";
import { type AdminPanel, startAdminPanel } from "./admin-lib";
import { type Gate, gatedFfmpeg } from "./gated-ffmpeg";

const noBrowser = browserMissing("the admin job page browser tests");

let p: AdminPanel;
let f: AdminFixture;
let gate: Gate;
let track = "";
let owner: Record<string, string> = {};

const statusOf = (id: string) => f.s.jobs.get(id)?.status;
const reached = (id: string, status: string) =>
  waitFor(() => statusOf(id) === status, { what: `job ${id} ${status}`, timeoutMs: 90_000 });
const submit = () => f.submitMaster(owner, track);
const ledgerOf = (ref: string) => f.ledgerOf(ref);
/** The job page of `id`, shown with its status (the first fact). */
async function jobPage(w: WatchedPage, id: string, status: string) {
  await p.open(w, `/admin/job?id=${id}`);
  await w.page.locator("#job-title", { hasText: `#${id}` }).waitFor();
  await w.page.locator("#facts dd:first-of-type", { hasText: new RegExp(`^${status}$`) }).waitFor();
}
/** Clicks a retry button; the page moves to the new job; its id. */
async function retryOn(w: WatchedPage, button: string, old: string): Promise<string> {
  await w.page.click(button);
  await w.page.waitForURL((u) => u.searchParams.get("id") !== old);
  await w.page.locator("body[data-ready]").waitFor();
  return new URL(w.page.url()).searchParams.get("id") ?? "";
}

beforeAll(async () => {
  gate = gatedFfmpeg();
  p = await startAdminPanel(noBrowser, {
    MM_FFMPEG: gate.ffmpeg,
    MM_BILLING: "on",
    MM_FAILED_INPUT_KEEP_H: "1",
  });
  f = p.f;
  track = await makeMusic(f.dir, { durationS: 2, name: "job-page.wav" });
  owner = (await f.payingUser("job.page@example.com", 10)).auth;
}, 60_000);
afterAll(async () => {
  gate?.killWaiting();
  await p?.stop();
});

describe("admin job page in Chromium", () => {
  it.skipIf(noBrowser)(
    "cancels a running job: the page shows it cancelled and the charge is refunded",
    async () => {
      const id = await submit();
      await waitFor(() => statusOf(id) === "running" && gate.arrivals() >= 1, {
        what: "job held at the gate",
      });
      const w = await p.admin();
      await jobPage(w, id, "running");
      expect(await w.page.isEnabled("#retry-charge")).toBe(false);
      await w.page.click("#cancel");
      await w.page.locator("#facts dd:first-of-type", { hasText: /^cancelled$/ }).waitFor();
      expect(statusOf(id)).toBe("cancelled");
      expect(ledgerOf(id)).toEqual([
        { reason: "charge", delta: -1 },
        { reason: "refund", delta: 1 },
      ]);
      expect(await w.page.isEnabled("#cancel")).toBe(false);
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "retries failed jobs charged and free, then deletes a result",
    async () => {
      gate.fail(true);
      gate.open();
      const charged = await submit();
      const free = await submit();
      await reached(charged, "failed");
      await reached(free, "failed");
      gate.fail(false);

      const w = await p.admin();
      await jobPage(w, charged, "failed");
      expect(await w.page.textContent("#error-detail")).toContain("simulated ffmpeg crash");
      const again = await retryOn(w, "#retry-charge", charged);
      await w.page.locator("#job-title", { hasText: `#${again}` }).waitFor();
      expect(ledgerOf(again)).toEqual([{ reason: "charge", delta: -1 }]);

      await jobPage(w, free, "failed");
      const freeAgain = await retryOn(w, "#retry-free", free);
      await reached(freeAgain, "done");
      expect(ledgerOf(freeAgain)).toEqual([]);

      await reached(again, "done");
      const path = (
        f.s.dbh.sqlite.query("select result_path as p from jobs where public_id = ?").get(again) as {
          p: string;
        }
      ).p;
      expect(existsSync(path)).toBe(true);
      await jobPage(w, again, "done");
      w.page.once("dialog", (d) => d.accept());
      await w.page.click("#delete-result");
      await w.page.locator("#facts dd:first-of-type", { hasText: /^expired$/ }).waitFor();
      expect(existsSync(path)).toBe(false);
      const token = f.s.jobs.accessToken(again) ?? "";
      expect((await fetch(`${f.s.url}/api/jobs/${again}/result?token=${token}`)).status).toBe(410);
      expect(ledgerOf(again)).toEqual([{ reason: "charge", delta: -1 }]);
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    180_000,
  );
});
