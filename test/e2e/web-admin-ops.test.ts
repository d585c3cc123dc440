// Issue 14 points 2, 5 and 7 in Chromium under the real CSP, against the running service (startService:
// HTTP on loopback, SQLite in a temp dir, real ffmpeg): the admin's dashboard draws its 30-day charts and
// takes the live figures from its SSE stream; the audit page finds the row a balance adjustment made
// through the API wrote (by its reason); the jobs page, already open, shows a job submitted afterwards
// (pushed by /api/admin/jobs/events) and its job page opens with the job's settings.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { makeMusic } from "../fixtures/audio";
import { browserMissing } from "../fixtures/browser";
import type { AdminFixture } from "../integration/admin/fixture";
import { form } from "../integration/api/harness";
import { type AdminPanel, startAdminPanel } from "./admin-lib";

const noBrowser = browserMissing("the admin operations pages browser tests");

let p: AdminPanel;
let f: AdminFixture;
let eveId = 0;
let track = "";

beforeAll(async () => {
  p = await startAdminPanel(noBrowser);
  f = p.f;
  eveId = await f.newUser("eve.audit@example.com", "eve-password-123");
  track = await makeMusic(f.dir, { durationS: 2, name: "ops-page-track.wav" });
}, 60_000);
afterAll(async () => {
  await p?.stop();
});

const asAdmin = () => p.admin();

describe("admin operations pages in Chromium", () => {
  it.skipIf(noBrowser)(
    "the dashboard draws its charts and takes the live figures from the SSE stream",
    async () => {
      const { page, context, problems } = await asAdmin();
      await page.goto(`${f.s.url}/admin`);
      await page.locator("body[data-ready]").waitFor();
      expect(await page.locator('nav[aria-label="admin"] a[aria-current="page"]').textContent()).toBe(
        "Dashboard",
      );
      // The first SSE event has arrived and been drawn (data-live counts them).
      await page.waitForFunction("Number(document.body.dataset.live || 0) >= 1", null, { timeout: 30_000 });
      // The admin and two users exist: the total is the database's count.
      const users = (f.s.dbh.sqlite.query("select count(*) as n from users").get() as { n: number }).n;
      expect(await page.textContent("#fig-users")).toBe(String(users));
      // Painted pixels (alpha > 0) on each chart's canvas.
      const painted = (await page.evaluate(`["chart-jobs", "chart-users", "chart-minutes"].map((id) => {
        const c = document.getElementById(id);
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      })`)) as number[];
      expect(painted.length).toBe(3);
      for (const n of painted) expect(n).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await context.close();
    },
    60_000,
  );

  it.skipIf(noBrowser)(
    "the audit page finds the row of a balance adjustment made through the API, with its actor",
    async () => {
      const res = await f.call("admin_token", "POST", `/api/admin/users/${eveId}/balance`, {
        delta: 7,
        reason: "audit page probe 4711",
        ref: "audit-page-probe-4711",
      });
      expect(res.status).toBeLessThan(300);
      const { page, context, problems } = await asAdmin();
      await page.goto(`${f.s.url}/admin/audit`);
      await page.locator("body[data-ready]").waitFor();
      await page.fill("#q", "probe 4711");
      await page.click("#filters button[type=submit]");
      const row = page.locator("#audit-table tbody tr", { hasText: "ledger_credit" });
      await row.waitFor({ timeout: 30_000 });
      expect(await page.locator("#audit-table tbody tr").count()).toBe(1);
      expect(await row.textContent()).toContain(`user:${eveId}`);
      expect(page.url()).toContain("q=probe+4711");
      expect(problems).toEqual([]);
      await context.close();
    },
    60_000,
  );

  it.skipIf(noBrowser)(
    "the open jobs page shows a job submitted afterwards (SSE) and its page shows the settings",
    async () => {
      const { page, context, problems } = await asAdmin();
      await page.goto(`${f.s.url}/admin/jobs`);
      await page.locator("body[data-ready]").waitFor();
      await page.locator("#jobs-table").waitFor();
      const res = await fetch(`${f.s.url}/api/v2/master`, {
        method: "POST",
        body: await form([{ name: "ops-page-track.wav", data: track }]),
      });
      expect(res.status).toBeLessThan(300);
      const id = ((await res.json()) as { handle: string }).handle.split(".")[0] ?? "";
      const link = page.locator(`#jobs-table a[href="/admin/job?id=${id}"]`);
      await link.waitFor({ timeout: 30_000 });
      await link.click();
      await page.waitForURL(/\/admin\/job\?id=/);
      await page.locator("body[data-ready]").waitFor();
      expect(await page.textContent("#job-title")).toBe(`Job #${id}`);
      expect(await page.textContent("#settings")).toContain("{");
      expect(problems).toEqual([]);
      await context.close();
    },
    60_000,
  );
});
