// The pricing flow as a buyer goes through it, in Chromium, against the running service (startService on
// loopback, SQLite in a temp dir) and the YooKassa fake (a real HTTP server speaking their wire format):
// a guest is sent to sign in and comes back; "Buy" creates the payment and opens the provider's page; the
// fake's checkout pays and redirects to MM_PUBLIC_URL/?order=<id>; its notification reaches the service,
// which re-fetches the payment and credits it; the return page shows the credited balance. With Platega on
// too (its fake), the buyer picks the provider and its payment page returns them the same way. A failed
// (Platega) or cancelled (YooKassa) checkout credits nothing; the provider down is an error next to the button, in the page's language.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { loadConfig } from "../../src/config";
import { PLATEGA_CALLBACK_PATH, WEBHOOK_PATH } from "../../src/http/routes/payments";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { FakePlatega } from "../fakes/platega";
import { FakeYooKassa } from "../fakes/yookassa";
import { cleanup, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser, watchedPage } from "../fixtures/browser";

const noBrowser = browserMissing("the pricing flow browser test");

let browser: Browser | null = null;
let s: RunningService;
let yk: FakeYooKassa;
let pg: FakePlatega;
let dir: string;

/** A free loopback port: MM_PUBLIC_URL must name the server before it starts (the provider returns there). */
function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port as number;
  probe.stop(true);
  return port;
}

beforeAll(async () => {
  dir = await tempDir("mm-web-pricing-");
  yk = new FakeYooKassa({ retryMs: [100, 200, 400], maxAttempts: 200 });
  pg = new FakePlatega({ retryMs: [100, 200, 400] });
  const port = freePort();
  s = await startService(
    loadConfig({
      PORT: String(port),
      MM_DATA_DIR: join(dir, "data"),
      MM_WORKERS: "1",
      MM_RATE_LIMIT_PER_MIN: "0",
      MM_PUBLIC_URL: `http://127.0.0.1:${port}`,
      MM_YOOKASSA_SHOP_ID: yk.shopId,
      MM_YOOKASSA_SECRET_KEY: yk.secretKey,
      MM_YOOKASSA_API_ROOT: yk.apiRoot,
      MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
      MM_PLATEGA_MERCHANT_ID: pg.merchantId,
      MM_PLATEGA_SECRET: pg.secret,
      MM_PLATEGA_API_ROOT: pg.url,
      MM_CRON_RECONCILE: "off",
    }),
    silentLogger,
  );
  yk.webhookUrl = `${s.url}${WEBHOOK_PATH}`;
  pg.callbackUrl = `${s.url}${PLATEGA_CALLBACK_PATH}`;
  if (noBrowser) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
  await yk?.stop();
  await pg?.stop();
  await cleanup(dir);
});

const ready = (page: Page) => page.locator("body[data-ready]").waitFor();
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? "").trim();
const ledgerOf = (email: string) =>
  s.dbh.sqlite
    .query<{ reason: string; delta: number }, [string]>(
      "SELECT l.reason, l.delta FROM ledger l JOIN users u ON u.id = l.user_id WHERE u.email = ?1 ORDER BY l.id",
    )
    .all(email);

describe("pricing and checkout", () => {
  it.skipIf(noBrowser)(
    "guest → sign in → buy → provider checkout → return page polls → balance credited once; Platega picked; a failed or cancelled payment credits nothing",
    async () => {
      const { context, page, problems } = await watchedPage(browser, { locale: "en-US" });
      const email = "buyer@example.com";
      try {
        // A guest sees the plans with their prices; buying sends them to sign in first.
        await page.goto(`${s.url}/pricing`);
        await ready(page);
        const pack = page.locator('li[data-plan="tokens_10"]');
        expect(await pack.textContent()).toContain("10 tokens");
        expect(await pack.textContent()).toMatch(/RUB\s?1,000\.00/);
        expect(await page.locator('li[data-plan="pro_month"]').textContent()).toContain(
          "pro plan for 30 days",
        );
        expect(await text(page, "#pricing-note")).toContain("Sign in");
        expect(await text(page, "#buy-tokens_10")).toBe("Sign in to buy");
        await page.click("#buy-tokens_10");
        await page.waitForURL(`${s.url}/account?next=%2Fpricing`);
        await ready(page);
        await page.fill("#signup-email", email);
        await page.fill("#signup-password", "buyer-password");
        await page.click("#signup-submit");
        await page.waitForURL(`${s.url}/pricing`);
        await ready(page);
        expect(await page.isHidden("#pricing-note")).toBe(true);
        expect(await text(page, "#buy-tokens_10")).toBe("Buy");

        // The provider down: the error is shown next to that plan's button, and nothing is credited.
        yk.faults.down = 1000;
        await page.click("#buy-tokens_10");
        await page.locator("#buy-tokens_10-error:not([hidden])").waitFor();
        expect((await text(page, "#buy-tokens_10-error")).length).toBeGreaterThan(0);
        yk.faults.down = 0;
        expect(page.url()).toBe(`${s.url}/pricing`);

        // Buy: the fake's checkout page pays and sends the buyer back to MM_PUBLIC_URL/?order=<id>.
        await page.click("#buy-tokens_10");
        await page.waitForURL((u) => u.pathname === "/" && u.searchParams.has("order"), { timeout: 60_000 });
        const orderId = new URL(page.url()).searchParams.get("order") ?? "";
        await page.locator("#order-credited:not([hidden])").waitFor({ timeout: 60_000 });
        expect(await text(page, "#order-state")).toBe("Payment received.");
        expect(await text(page, "#order-credited")).toBe("10 tokens credited. Balance: 10.");
        expect(await text(page, "#order-id")).toBe(orderId);
        expect(ledgerOf(email)).toEqual([{ reason: "payment", delta: 10 }]);

        // Duplicate notifications after the fact change nothing on the server or on the page.
        const paymentId = [...yk.payments.values()].find((p) => p.metadata.order_id === orderId)?.id ?? "";
        for (let i = 0; i < 3; i++) yk.deliver("payment.succeeded", { id: paymentId }, false);
        await yk.settled(30_000);
        await page.reload();
        await page.locator("#order-credited:not([hidden])").waitFor();
        expect(await text(page, "#order-credited")).toBe("10 tokens credited. Balance: 10.");
        expect(ledgerOf(email)).toEqual([{ reason: "payment", delta: 10 }]);

        // Platega picked in "pay with": its payment page confirms and returns the buyer to the same page.
        await page.goto(`${s.url}/pricing`);
        await ready(page);
        expect(await page.isVisible("#providers")).toBe(true);
        await page.check('input[name=provider][value="platega"]');
        await page.click("#buy-tokens_5");
        await page.waitForURL((u) => u.searchParams.has("order") && u.searchParams.get("order") !== orderId, {
          timeout: 60_000,
        });
        const plategaOrder = new URL(page.url()).searchParams.get("order") ?? "";
        await page.locator("#order-credited:not([hidden])").waitFor({ timeout: 60_000 });
        expect(await text(page, "#order-credited")).toBe("5 tokens credited. Balance: 15.");
        expect([...pg.transactions.values()].map((t) => t.payload)).toEqual([plategaOrder]);
        expect(ledgerOf(email)).toEqual([
          { reason: "payment", delta: 10 },
          { reason: "payment", delta: 5 },
        ]);

        // Platega's page says the payment failed: back on the return page as cancelled, nothing credited.
        await page.route("**/pay/**", (route) => {
          const u = new URL(route.request().url());
          u.searchParams.set("result", "fail");
          return route.continue({ url: u.toString() });
        });
        await page.goto(`${s.url}/pricing`);
        await ready(page);
        await page.check('input[name=provider][value="platega"]');
        await page.click("#buy-tokens_5");
        await page.waitForURL((u) => ![orderId, plategaOrder, null].includes(u.searchParams.get("order")), {
          timeout: 60_000,
        });
        const failedOrder = new URL(page.url()).searchParams.get("order") ?? "";
        await page.locator("#order-state", { hasText: "cancelled" }).waitFor({ timeout: 60_000 });
        expect(await page.isHidden("#order-credited")).toBe(true);
        expect(ledgerOf(email)).toHaveLength(2);

        // A cancelled checkout: the return page says so and the balance stays.
        await page.route("**/checkout/**", (route) => {
          const u = new URL(route.request().url());
          u.searchParams.set("result", "cancel");
          return route.continue({ url: u.toString() });
        });
        await page.goto(`${s.url}/pricing`);
        await ready(page);
        await page.check('input[name=provider][value="yookassa"]');
        await page.click("#buy-tokens_5");
        await page.waitForURL(
          (u) => ![orderId, plategaOrder, failedOrder, null].includes(u.searchParams.get("order")),
          { timeout: 60_000 },
        );
        await page.locator("#order-state", { hasText: "cancelled" }).waitFor({ timeout: 60_000 });
        expect(await page.isHidden("#order-credited")).toBe(true);
        expect(ledgerOf(email)).toHaveLength(2);
        const me = (await page.evaluate(async () => (await fetch("/api/auth/me")).json())) as {
          balance: number;
        };
        expect(me.balance).toBe(15);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  it.skipIf(noBrowser)(
    "a guest on the return page in Russian: the API's refusal in Russian, and a sign-in link back to it",
    async () => {
      const { context, page, problems } = await watchedPage(browser, { locale: "ru-RU" });
      try {
        await page.goto(`${s.url}/?order=ord_not_theirs`);
        await ready(page);
        await page.locator("#error:not([hidden])").waitFor();
        expect(await text(page, "#error")).toMatch(/[а-яА-Я]/);
        expect(await page.locator("#error a").getAttribute("href")).toBe(
          "/account?next=%2F%3Forder%3Dord_not_theirs",
        );
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
