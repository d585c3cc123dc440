// The pricing flow with Platega, in Chromium, against the running service (loopback, SQLite in a temp dir)
// with both providers on (fake YooKassa and fake Platega, real HTTP servers speaking their wire formats):
// the page offers the choice, "Buy" with Platega opens Platega's payment page, which confirms and sends the
// buyer back to MM_PUBLIC_URL/?order=<id>; the callback (X-MerchantId + X-Secret) reaches the service,
// which re-fetches the transaction and credits it once; the return page shows the balance. A failed
// payment comes back as cancelled and credits nothing.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { loadConfig } from "../../src/config";
import { PLATEGA_CALLBACK_PATH } from "../../src/http/routes/payments";
import { silentLogger } from "../../src/log";
import { type RunningService, startService } from "../../src/service";
import { FakePlatega } from "../fakes/platega";
import { FakeYooKassa } from "../fakes/yookassa";
import { cleanup, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser } from "../fixtures/browser";

const noBrowser = browserMissing("the Platega pricing flow browser test");

let browser: Browser | null = null;
let s: RunningService;
let pg: FakePlatega;
let yk: FakeYooKassa;
let dir: string;

/** A free loopback port: MM_PUBLIC_URL must name the server before it starts (the provider returns there). */
function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port as number;
  probe.stop(true);
  return port;
}

beforeAll(async () => {
  dir = await tempDir("mm-web-platega-");
  pg = new FakePlatega();
  yk = new FakeYooKassa();
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
      MM_PLATEGA_MERCHANT_ID: pg.merchantId,
      MM_PLATEGA_SECRET: pg.secret,
      MM_PLATEGA_API_ROOT: pg.url,
      MM_CRON_RECONCILE: "off",
    }),
    silentLogger,
  );
  pg.callbackUrl = `${s.url}${PLATEGA_CALLBACK_PATH}`;
  if (noBrowser) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
  await pg?.stop();
  await yk?.stop();
  await cleanup(dir);
});

const ready = (page: Page) => page.locator("body[data-ready]").waitFor();
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? "").trim();
const ledgerOf = (email: string) =>
  s.dbh.sqlite
    .query<{ reason: string; delta: number; ref: string }, [string]>(
      "SELECT l.reason, l.delta, l.ref FROM ledger l JOIN users u ON u.id = l.user_id WHERE u.email = ?1 ORDER BY l.id",
    )
    .all(email);

describe("pricing with Platega", () => {
  it.skipIf(noBrowser)(
    "pick Platega → its payment page → return page → credited once; a failed payment credits nothing",
    async () => {
      if (!browser) throw new Error("no browser");
      const context = await browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      const email = "platega-buyer@example.com";
      try {
        await page.goto(`${s.url}/account?next=%2Fpricing`);
        await ready(page);
        await page.fill("#signup-email", email);
        await page.fill("#signup-password", "buyer-password");
        await page.click("#signup-submit");
        await page.waitForURL(`${s.url}/pricing`);
        await ready(page);
        // Both providers are on: the page offers the choice, YooKassa first.
        await page.locator("#providers:not([hidden])").waitFor();
        expect(await page.isChecked('input[name=provider][value="yookassa"]')).toBe(true);
        await page.check('input[name=provider][value="platega"]');
        const before = { pg: pg.created, yk: yk.created };
        await page.click("#buy-tokens_10");
        await page.waitForURL((u) => u.pathname === "/" && u.searchParams.has("order"), { timeout: 60_000 });
        const orderId = new URL(page.url()).searchParams.get("order") ?? "";
        await page.locator("#order-credited:not([hidden])").waitFor({ timeout: 60_000 });
        expect(await text(page, "#order-state")).toBe("Payment received.");
        expect(await text(page, "#order-credited")).toBe("10 tokens credited. Balance: 10.");
        expect({ pg: pg.created, yk: yk.created }).toEqual({ pg: before.pg + 1, yk: before.yk });
        const [t] = pg.of(orderId);
        expect(t?.status).toBe("CONFIRMED");
        expect(ledgerOf(email)).toEqual([{ reason: "payment", delta: 10, ref: `platega:${t?.id}` }]);

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
        await page.waitForURL((u) => u.searchParams.has("order") && u.searchParams.get("order") !== orderId, {
          timeout: 60_000,
        });
        await page.locator("#order-state", { hasText: "cancelled" }).waitFor({ timeout: 60_000 });
        expect(await page.isHidden("#order-credited")).toBe(true);
        expect(ledgerOf(email)).toHaveLength(1);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );
});
