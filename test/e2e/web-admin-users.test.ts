// Issue 14 point 8, the main admin flow in Chromium under the real CSP, against the running service
// (startService: HTTP on loopback, SQLite in a temp dir): a guest and a signed-in user get the unknown-route
// 404 for the panel; the admin finds a user by part of the e-mail, opens their page, adjusts the balance
// with a reason (the ledger row and the audit row with IP and before/after are checked in the database —
// the audit page is the admin-ops helper's), bans them (their session ends at once), switches to Russian.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { browserMissing } from "../fixtures/browser";
import type { AdminFixture } from "../integration/admin/fixture";
import { type AdminPanel, startAdminPanel } from "./admin-lib";

const noBrowser = browserMissing("the admin panel browser tests");

let p: AdminPanel;
let f: AdminFixture;
let daveId = 0;
let daveSession = "";

beforeAll(async () => {
  p = await startAdminPanel(noBrowser);
  f = p.f;
  daveId = await f.newUser("dave.player@example.com", "dave-password-12");
  const res = await fetch(`${f.s.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "dave.player@example.com", password: "dave-password-12" }),
  });
  daveSession = ((await res.json()) as { token: string }).token;
}, 60_000);
afterAll(async () => {
  await p?.stop();
});

const as = (session: string | null, locale?: string) => p.as(session, locale);

describe("admin panel in Chromium", () => {
  it.skipIf(noBrowser)(
    "a guest and a signed-in user get the unknown-route 404 for the panel's pages and scripts",
    async () => {
      for (const session of [null, f.userSession]) {
        const w = await as(session);
        for (const path of ["/admin", "/admin/users", "/admin/admin.js"]) {
          const res = await w.page.goto(`${f.s.url}${path}`);
          expect(`${path} ${res?.status()}`).toBe(`${path} 404`);
          expect(await w.page.textContent("body")).toContain("not_found");
        }
        await w.context.close();
      }
    },
    60_000,
  );

  it.skipIf(noBrowser)(
    "find a user, adjust the balance with a reason, ban them — the ledger and audit rows follow",
    async () => {
      const { page, context, problems } = await as(f.adminSession);
      await page.goto(`${f.s.url}/admin/users`);
      await page.locator("body[data-ready]").waitFor();
      // The section nav of the shell, with the current page marked.
      expect(await page.locator('nav[aria-label="admin"] a[aria-current="page"]').textContent()).toBe(
        "Users",
      );

      await page.fill("#q", "dave.pl");
      await page.click("#filters button[type=submit]");
      await page.locator("#users-table tbody tr", { hasText: "dave.player@example.com" }).waitFor();
      expect(await page.locator("#users-table tbody tr").count()).toBe(1);
      expect(page.url()).toContain("q=dave.pl");
      await page.click(`#users-table a[href="/admin/user?id=${daveId}"]`);
      await page.waitForURL(/\/admin\/user\?id=\d+$/);
      await page.locator("body[data-ready]").waitFor();
      await page.locator("#title", { hasText: `#${daveId}` }).waitFor();

      await page.fill("#balance-delta", "5");
      await page.fill("#balance-reason", "goodwill after outage");
      await page.click("#balance-form button[type=submit]");
      await page.locator("#admin-status", { hasText: "Balance: 5" }).waitFor();
      await page.locator("#balance", { hasText: "5" }).waitFor();
      await page.locator("#ledger-table tbody tr", { hasText: "goodwill after outage" }).waitFor();

      // A refused adjustment shows its error next to the form, in the page language; nothing changes.
      await page.fill("#balance-delta", "-50");
      await page.fill("#balance-reason", "too much");
      await page.click("#balance-form button[type=submit]");
      await page.locator("#balance-form-error:not([hidden])").waitFor();
      expect(await page.textContent("#balance-form-error")).toMatch(/token/i);

      await page.fill("#ban-reason", "chargeback fraud");
      await page.click("#ban-button");
      await page.locator("#banned-badge", { hasText: "chargeback fraud" }).waitFor();
      expect(await page.isVisible("#unban-button")).toBe(true);
      // The ban ended Dave's session at once.
      const me = await fetch(`${f.s.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${daveSession}` },
      });
      expect(me.status).toBe(401);

      const db = f.s.dbh.sqlite;
      expect(db.query("select delta, reason, note from ledger where user_id = ?").all(daveId)).toEqual([
        { delta: 5, reason: "admin_credit", note: "goodwill after outage" },
      ]);
      const adminId = (
        db.query("select id from users where email = 'root@example.com'").get() as { id: number }
      ).id;
      const rows = db
        .query("select actor, action, details from audit_log where target = ? order by id")
        .all(`user:${daveId}`) as { actor: string; action: string; details: string }[];
      expect(rows.map((r) => [r.actor, r.action])).toEqual([
        [`user:${adminId}`, "ledger_credit"],
        [`user:${adminId}`, "user_ban"],
      ]);
      expect(JSON.parse(rows[0]?.details ?? "{}")).toMatchObject({
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        before: { balance: 0 },
        after: { balance: 5 },
        reason: "goodwill after outage",
      });
      expect(JSON.parse(rows[1]?.details ?? "{}")).toMatchObject({
        before: { banned_at: null },
        after: { ban_reason: "chargeback fraud" },
      });

      // Russian: the panel's texts come from the admin-only catalogue.
      await page.click("#lang-ru");
      await page.locator('nav[aria-label="admin"] a', { hasText: "Пользователи" }).waitFor();
      await page.locator("#title", { hasText: `Пользователь #${daveId}` }).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    90_000,
  );
});
