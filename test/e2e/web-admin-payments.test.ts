// Issue 14 point 4 in Chromium under the real CSP, against the running service and the fake YooKassa:
// the admin opens a paid order from the payments list, sees what YooKassa says about it now, refunds a
// part through the provider (a refusal shows next to the form first), then the rest; the buyer's new
// balance, the refund rows and the audit rows appear on the page, and the database agrees.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { FakeYooKassa } from "../fakes/yookassa";
import { browserMissing } from "../fixtures/browser";
import { type AdminPanel, startAdminPanel } from "./admin-lib";

const noBrowser = browserMissing("the admin payments browser test");

let p: AdminPanel;
let yk: FakeYooKassa;
let buyerId = 0;
let orderId = "";
let paymentId = "";

beforeAll(async () => {
  yk = new FakeYooKassa();
  p = await startAdminPanel(noBrowser, {
    MM_PUBLIC_URL: "https://master.example.test",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    MM_CRON_RECONCILE: "off",
  });
  const f = p.f;
  yk.webhookUrl = `${f.s.url}/api/payments/webhook`;
  buyerId = await f.newUser("erin.buyer@example.com", "erin-password-12");
  const login = await fetch(`${f.s.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "erin.buyer@example.com", password: "erin-password-12" }),
  });
  const { token } = (await login.json()) as { token: string };
  const made = await fetch(`${f.s.url}/api/payments/create`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ plan: "tokens_10" }),
  });
  ({ order_id: orderId, payment_id: paymentId } = (await made.json()) as {
    order_id: string;
    payment_id: string;
  });
  yk.pay(paymentId);
  await yk.settled();
}, 60_000);
afterAll(async () => {
  await p?.stop();
  await yk?.stop();
});

const balance = () =>
  (
    p.f.s.dbh.sqlite
      .query("select coalesce(sum(delta), 0) as s from ledger where user_id = ?")
      .get(buyerId) as {
      s: number;
    }
  ).s;

describe("admin payments in Chromium", () => {
  it.skipIf(noBrowser)(
    "opens an order, sees the provider's record, refunds a part then the rest, sees the balance and the audit rows",
    async () => {
      const w = await p.admin();
      await p.open(w, "/admin/payments");
      const page = w.page;
      await page.locator(`#orders-table a[href="/admin/payments?id=${orderId}"]`).click();
      await page.locator("#order:not([hidden])").waitFor();
      await page.locator("#order-balance").filter({ hasText: /^10$/ }).waitFor();
      expect(await page.textContent("#provider-raw")).toContain(`"id": "${paymentId}"`);
      expect(await page.textContent("#provider-raw")).toContain(`"status": "succeeded"`);

      // A part larger than the order: refused next to the form, nothing refunded.
      await page.fill("#refund-amount", "5000");
      await page.fill("#refund-reason", "buyer asked for part of it");
      await page.click("#refund-submit");
      await page.locator("#refund-error:not([hidden])").waitFor();
      expect(await page.textContent("#refund-error")).toContain("1000.00 RUB");
      expect(yk.refunds.size).toBe(0);

      await page.fill("#refund-amount", "250");
      await page.click("#refund-submit");
      await page.locator("#order-balance").filter({ hasText: /^7$/ }).waitFor();
      expect(await page.textContent("#admin-status")).toBe("Partial refund made. The buyer's balance: 7.");
      expect(await page.locator("#order-refunds-table tbody tr").count()).toBe(1);
      expect(await page.textContent("#order-audit-table")).toContain("payment_refund");
      expect(await page.textContent("#order-audit-table")).toContain("buyer asked for part of it");

      // The rest, with the amount left empty.
      await page.fill("#refund-reason", "and the rest");
      await page.click("#refund-submit");
      await page
        .locator("#order-status")
        .filter({ hasText: /^refunded$/ })
        .waitFor();
      expect(await page.textContent("#order-balance")).toBe("0");
      expect(await page.locator("#refund").isHidden()).toBe(true);
      expect(await page.locator("#order-audit-table tbody tr").count()).toBe(3);

      await yk.settled();
      expect([...yk.refunds.values()].map((r) => r.amount.value)).toEqual(["250.00", "750.00"]);
      expect(balance()).toBe(0);
      const audit = p.f.s.dbh.sqlite
        .query("select action, ip, before, after from audit_log where target = ? order by id")
        .all(`order:${orderId}`) as { action: string; ip: string; before: string; after: string }[];
      expect(audit.map((a) => a.action)).toEqual([
        "payment_refund_failed",
        "payment_refund",
        "payment_refund",
      ]);
      expect(JSON.parse(audit[1]?.before ?? "{}")).toMatchObject({ balance: 10 });
      expect(JSON.parse(audit[2]?.after ?? "{}")).toMatchObject({ status: "refunded", balance: 0 });
      expect(w.problems).toEqual([]);
      await w.context.close();
    },
    120_000,
  );
});
