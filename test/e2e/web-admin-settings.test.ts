// Issue 14 points 6 and 7 in Chromium under the real CSP, against the running service (startService: HTTP
// on loopback, SQLite in a temp dir, billing on, real ffmpeg): the admin switches a feature flag and
// maintenance mode on the settings page and the service answers differently over HTTP at once; edits a
// tier and a plan and adds a plan in the settings area's editors (effects read back from the public API,
// refusals shown next to the control); creates a backup on the backups page and downloads it (a non-empty
// file with the SQLite header).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { makeMusic } from "../fixtures/audio";
import { browserMissing } from "../fixtures/browser";
import type { AdminFixture } from "../integration/admin/fixture";
import { form } from "../integration/api/harness";
import { type AdminPanel, startAdminPanel } from "./admin-lib";

const noBrowser = browserMissing("the admin settings, editors and backups browser tests");

let p: AdminPanel;
let f: AdminFixture;
let track = "";
let pro: Record<string, string> = {};

const upload = async (path: string) =>
  fetch(`${f.s.url}${path}`, {
    method: "POST",
    headers: pro,
    body: await form([{ name: "settings-page.wav", data: track }]),
  });
/** Empties the page's status line, so the next wait sees the next action's outcome. */
const clearStatus = (w: { page: import("playwright-core").Page }) =>
  w.page.evaluate('document.getElementById("admin-status").textContent = ""');
const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

beforeAll(async () => {
  p = await startAdminPanel(noBrowser, { MM_BILLING: "on" });
  f = p.f;
  track = await makeMusic(f.dir, { durationS: 1, name: "settings-page.wav" });
  pro = (await f.payingUser("pro.settings@example.com", 20)).auth;
}, 60_000);
afterAll(async () => {
  await p?.stop();
});

describe("admin settings area in Chromium", () => {
  it.skipIf(noBrowser)(
    "a feature flag and maintenance mode switched on the page change what the service answers",
    async () => {
      const w = await p.admin();
      await p.open(w, "/admin/settings");
      const { page } = w;
      await page.locator("#flag-preview").waitFor();
      expect(await page.isChecked("#flag-preview")).toBe(true);
      await page.uncheck("#flag-preview");
      await page.locator("#admin-status", { hasText: "preview" }).waitFor();
      const off = await upload("/api/v2/preview");
      expect([off.status, await codeOf(off)]).toEqual([503, "feature_disabled"]);
      await clearStatus(w);
      await page.check("#flag-preview");
      await page.locator("#admin-status", { hasText: "preview" }).waitFor();
      expect((await upload("/api/v2/preview")).status).toBe(202);

      await page.check("#maint-on");
      await page.fill("#maint-message", "Back at 23:00");
      await page.click("#maintenance button[type=submit]");
      await page.locator("#admin-status", { hasText: "Done" }).waitFor();
      const closed = await upload("/api/v2/master");
      expect(closed.status).toBe(503);
      const body = (await closed.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({
        code: "maintenance",
        message: expect.stringContaining("Back at 23:00"),
      });
      await clearStatus(w);
      await page.uncheck("#maint-on");
      await page.click("#maintenance button[type=submit]");
      await page.locator("#admin-status", { hasText: "Done" }).waitFor();
      expect((await upload("/api/v2/master")).status).toBe(202);
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "the tiers editor changes a limit for the next request and shows a refusal next to its tier",
    async () => {
      const w = await p.admin();
      await p.open(w, "/admin/tiers");
      const { page } = w;
      // The editors belong to the settings section.
      expect(await page.locator('nav[aria-label="admin"] a[aria-current="page"]').textContent()).toBe(
        "Settings",
      );
      expect(await page.locator('nav.subnav a[aria-current="page"]').textContent()).toBe("Tiers");
      const limit = async () =>
        (
          (await (await fetch(`${f.s.url}/api/limits`, { headers: pro })).json()) as {
            daily: { limit: number | null };
          }
        ).daily.limit;
      expect(await limit()).toBe(10);
      expect(await page.inputValue("#tier-pro-daily_cap")).toBe("10");
      await page.fill("#tier-pro-daily_cap", "4");
      await page.click("#tier-pro button[type=submit]");
      await page.locator("#admin-status", { hasText: "Saved: tier pro" }).waitFor();
      expect(await limit()).toBe(4);

      await page.fill("#tier-pro-styles", "standard,no_such_style");
      await page.click("#tier-pro button[type=submit]");
      await page.locator("#tier-pro-error:not([hidden])").waitFor();
      expect(await page.textContent("#tier-pro-error")).toContain("no_such_style");
      const tiers = (await (await f.call("admin", "GET", "/api/admin/tiers")).json()) as {
        tiers: { name: string; styles: string[] | null; daily_cap: number | null }[];
      };
      expect(tiers.tiers.find((t) => t.name === "pro")).toMatchObject({ styles: null, daily_cap: 4 });
      // Nothing changed is said so, not sent.
      await page.fill("#tier-studio-daily_cap", "30");
      await page.click("#tier-studio button[type=submit]");
      await page.locator("#tier-studio-error", { hasText: "Nothing to save" }).waitFor();
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "the plans editor changes a price (the public price list follows) and adds a plan on sale at once",
    async () => {
      const w = await p.admin("ru-RU");
      await p.open(w, "/admin/plans");
      const { page } = w;
      const onSale = async () =>
        (
          (await (await fetch(`${f.s.url}/api/payments/plans`)).json()) as {
            list: { key: string; amount: string; tokens: number }[];
          }
        ).list;
      expect(await page.inputValue("#plan-tokens_5-price")).toBe("500.00");
      await page.fill("#plan-tokens_5-price", "450");
      await page.fill("#plan-tokens_5-tokens", "6");
      await page.click("#plan-tokens_5 button[type=submit]");
      await page.locator("#admin-status", { hasText: "tokens_5" }).waitFor();
      expect((await onSale()).find((x) => x.key === "tokens_5")).toMatchObject({ tokens: 6 });
      expect(await page.inputValue("#plan-tokens_5-price")).toBe("450.00");

      // A bad price: the refusal in Russian next to the row, nothing saved.
      await page.fill("#plan-tokens_10-price", "бесплатно");
      await page.click("#plan-tokens_10 button[type=submit]");
      await page.locator("#plan-tokens_10-error:not([hidden])").waitFor();
      expect(await page.textContent("#plan-tokens_10-error")).toMatch(/[а-я]/i);

      await page.fill("#new-key", "tokens_25");
      await page.fill("#new-price", "2000");
      await page.fill("#new-tokens", "25");
      await page.fill("#new-label-ru", "25 токенов");
      await page.fill("#new-label-en", "25 tokens");
      await page.click("#plan-new button[type=submit]");
      await page.locator("#plan-tokens_25-price").waitFor();
      expect(await page.inputValue("#plan-tokens_25-price")).toBe("2000.00");
      expect((await onSale()).find((x) => x.key === "tokens_25")).toMatchObject({ tokens: 25 });
      // The same key again: refused next to the form.
      await page.fill("#new-key", "tokens_25");
      await page.fill("#new-price", "1");
      await page.fill("#new-label-ru", "x");
      await page.fill("#new-label-en", "x");
      await page.click("#plan-new button[type=submit]");
      await page.locator("#plan-new-error:not([hidden])").waitFor();
      expect(await page.textContent("#plan-new-error")).toContain("tokens_25");

      const actions = f.s.dbh.sqlite
        .query<{ action: string; target: string }, []>(
          "select action, target from audit_log where action in ('plan_set', 'plan_add') order by id",
        )
        .all();
      expect(actions).toEqual([
        { action: "plan_set", target: "plan:tokens_5" },
        { action: "plan_add", target: "plan:tokens_25" },
      ]);
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    90_000,
  );

  it.skipIf(noBrowser)(
    "the backups page creates a backup and downloads it: a non-empty SQLite file",
    async () => {
      const w = await p.admin();
      await p.open(w, "/admin/backups");
      const { page } = w;
      await page.click("#create");
      await page.locator("#admin-status", { hasText: "Done" }).waitFor();
      const name = ((await page.textContent("#admin-status")) ?? "").split(": ")[1]?.trim() ?? "";
      expect(name).toMatch(/\.db$/);
      const link = page.locator(`#backups-table a[download="${name}"]`);
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const path = await download.path();
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(4096);
      expect(bytes.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\u0000");
      expect(download.suggestedFilename()).toContain(name); // the server names it magic-master-<name>
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    90_000,
  );
});
