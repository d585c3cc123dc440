// YooKassa end to end through the running service and the fake YooKassa (a real HTTP server speaking the
// v3 wire format): orders first, one provider payment per order whatever the clicks and faults, credits
// only from what the API says, once, and a refund reversed once. HTTP over loopback.
// The body runs on the SQLite file (yookassa.test.ts) and on a harness Postgres (yookassa-pg.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { createHash } from "node:crypto";
import { FakeYooKassa } from "../../fakes/yookassa";
import { rawSql } from "../../fixtures/backends";
import { type Buyer, PaymentsRig } from "../../fixtures/payments";
import type { ApiBackend } from "../api/backends";

export function yookassaSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`YooKassa payments (${b.name})`, () => {
    let yk: FakeYooKassa;
    const rig = new PaymentsRig(b, {
      dirPrefix: "mm-pay-",
      env: () => ({ ...yk.serviceEnv(), MM_PAYMENT_RECONCILE_MIN: "0" }),
      started: (url) => {
        yk.webhookUrl = `${url}/api/payments/webhook`;
      },
    });
    const signUp = () => rig.signUp("buyer");
    const create = (u: Buyer, body: unknown) => rig.create(u, body);
    type Created = { order_id: string; payment_id: string; confirmation_url: string; status: string };
    async function bought(u: Buyer, plan = "tokens_5"): Promise<Created> {
      const res = await create(u, { plan });
      expect(res.status).toBe(200);
      return (await res.json()) as Created;
    }
    const me = (u: Buyer) => rig.me(u);
    const order = (u: Buyer, id: string) => rig.order(u, id);
    const rowsOf = (paymentId: string) => rig.ledger(`yookassa:${paymentId}`);
    const logged = rig.logged.bind(rig);

    beforeAll(async () => {
      yk = new FakeYooKassa();
      await rig.start();
    });
    afterAll(async () => {
      await rig.stop();
      await yk.stop();
    });
    afterEach(async () => {
      await yk.settled();
      yk.faults = { processing: 0, processingRetryAfterMs: 20, failAfterCreate: 0, down: 0 };
      yk.notify = { duplicate: 1, concurrent: false, reorder: false, hold: false };
    });

    describe("plans", () => {
      it("lists the original's price table, and YooKassa as the provider", async () => {
        const res = await fetch(`${rig.url}/api/payments/plans`, { headers: { "accept-language": "ru" } });
        const b = (await res.json()) as {
          plans: Record<
            string,
            { amount: number; tokens_included: number; period_days: number; tier: string }
          >;
          providers: string[];
        };
        expect(b.plans.tokens_10).toMatchObject({ amount: 1000, tokens_included: 10, tier: "tokens" });
        expect(b.plans.pro_month).toMatchObject({
          amount: 1000,
          tokens_included: 50,
          period_days: 30,
          tier: "pro",
        });
        expect(b.plans.studio_year).toMatchObject({ amount: 25000, tokens_included: 1200, period_days: 365 });
        expect(b.providers).toEqual(["yookassa"]);
      });
    });

    describe("create", () => {
      it("needs a signed-in user, a known plan, and sends capture, a two-decimal amount, our return URL", async () => {
        const anon = await fetch(`${rig.url}/api/payments/create`, {
          method: "POST",
          headers: { "content-type": "application/json", "accept-language": "ru" },
          body: JSON.stringify({ plan: "tokens_5" }),
        });
        expect(anon.status).toBe(401);
        const u = await signUp();
        const unknown = await create(u, { plan: "tokens_999" });
        expect(unknown.status).toBe(404);
        expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("plan_not_found");
        // The client cannot choose the return URL: an extra field is refused.
        expect((await create(u, { plan: "tokens_5", return_url: "https://evil.example" })).status).toBe(400);

        const before = yk.created;
        const c = await bought(u);
        expect(yk.created).toBe(before + 1);
        const p = yk.payments.get(c.payment_id);
        expect(p?.capture).toBe(true);
        expect(p?.amount).toEqual({ value: "500.00", currency: "RUB" });
        expect(p?.metadata.order_id).toBe(c.order_id);
        expect(p?.confirmation.return_url).toBe(`https://master.example.test/?order=${c.order_id}`);
        expect(c.confirmation_url).toBe(`${yk.url}/checkout/${c.payment_id}`);
        const key = yk.requests.find((r) => r.method === "POST" && r.status === 200)?.key;
        expect(key).toBe(`order:${c.order_id}:create`);
        expect((await order(u, c.order_id)).status).toBe("pending");
        // Another user cannot read it.
        const other = await signUp();
        expect(
          (await fetch(`${rig.url}/api/payments/orders/${c.order_id}`, { headers: other.auth })).status,
        ).toBe(404);
      });

      it("a double click (also concurrent) makes one order and one provider payment", async () => {
        const u = await signUp();
        const before = yk.created;
        const [a, b] = await Promise.all([bought(u), bought(u)]);
        const c = await bought(u);
        expect(new Set([a.order_id, b.order_id, c.order_id]).size).toBe(1);
        expect(new Set([a.payment_id, b.payment_id, c.payment_id]).size).toBe(1);
        expect(yk.created).toBe(before + 1);
      });

      it("a 202 'processing' answer is repeated with the same key and gives one payment", async () => {
        const u = await signUp();
        yk.faults.processing = 2;
        const before = yk.created;
        const c = await bought(u);
        expect(yk.created).toBe(before + 1);
        const keys = yk.requests.filter((r) => r.key === `order:${c.order_id}:create`).map((r) => r.status);
        expect(keys).toEqual([202, 202, 200]);
      });

      it("a 500 after the provider created the payment: repeated with the same key, still one payment", async () => {
        const u = await signUp();
        yk.faults.failAfterCreate = 1;
        const before = yk.created;
        const c = await bought(u);
        expect(yk.created).toBe(before + 1);
        expect(
          yk.requests.filter((r) => r.key === `order:${c.order_id}:create`).map((r) => r.status),
        ).toEqual([500, 200]);
      });

      it("provider down: a clear 503, the order stays pending, and the reconcile task settles it later", async () => {
        const u = await signUp();
        yk.faults.failAfterCreate = 10;
        const res = await create(u, { plan: "tokens_5" });
        expect(res.status).toBe(503);
        const e = (await res.json()) as { error: { code: string; message: string } };
        expect(e.error.code).toBe("payment_provider_unavailable");
        const orders = rawSql(rig.s.backend).all<{
          id: string;
          status: string;
          provider_payment_id: string | null;
        }>("SELECT id, status, provider_payment_id FROM orders WHERE user_id = $1", [u.id]);
        expect(orders).toHaveLength(1);
        expect(orders[0]).toMatchObject({ status: "pending", provider_payment_id: null });
        // The provider did create it (the 500 came after); the buyer paid through another tab, say.
        const made = [...yk.payments.values()].find((p) => p.metadata.order_id === orders[0]?.id);
        expect(made).toBeDefined();
        yk.faults.failAfterCreate = 0;
        yk.notify.hold = true; // the notification is lost: only the reconcile can learn of the payment
        yk.pay(made?.id ?? "");
        await rig.s.scheduler.runOnce("reconcile");
        expect((await order(u, orders[0]?.id ?? "")).status).toBe("succeeded");
        expect((await me(u)).balance).toBe(5);
        expect(yk.created).toBe([...yk.payments.keys()].length);
        expect([...yk.payments.values()].filter((p) => p.metadata.order_id === orders[0]?.id)).toHaveLength(
          1,
        );
      });

      it("receipts on: 54-FZ receipt data with the buyer's e-mail, items summing to the amount", async () => {
        await rig.s.stop();
        yk.receiptsRequired = true;
        await rig.start({ MM_YOOKASSA_RECEIPTS: "on" });
        try {
          const u = await signUp();
          const c = await bought(u, "tokens_10");
          const receipt = yk.payments.get(c.payment_id)?.receipt as {
            customer: { email: string };
            items: { amount: { value: string }; vat_code: number; quantity: string }[];
          };
          expect(receipt.customer.email).toMatch(/^buyer\d+@example\.com$/);
          expect(receipt.items).toEqual([
            expect.objectContaining({ amount: { value: "1000.00", currency: "RUB" }, vat_code: 1 }),
          ]);
        } finally {
          yk.receiptsRequired = false;
        }
      });
    });

    describe("notifications", () => {
      it("delivered 10 times, 10 concurrently too: credited once", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_10");
        yk.notify.duplicate = 10;
        yk.pay(c.payment_id);
        await yk.settled();
        // And 10 more at once, racing each other.
        await Promise.all(
          Array.from({ length: 10 }, () => yk.deliver("payment.succeeded", { id: c.payment_id }, false)),
        );
        await yk.settled();
        expect(yk.deliveries.filter((d) => d.objectId === c.payment_id).every((d) => d.done)).toBe(true);
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 10 }]);
        expect((await me(u)).balance).toBe(10);
        expect((await order(u, c.order_id)).status).toBe("succeeded");
        expect(
          logged("payment_notification", (l) => l.object_id === c.payment_id && l.outcome === "duplicate")
            .length,
        ).toBe(19);
      });

      it("forged: a body saying succeeded while the API says pending credits nothing", async () => {
        const u = await signUp();
        const c = await bought(u);
        yk.forge(c.payment_id);
        await yk.settled();
        expect(rowsOf(c.payment_id)).toEqual([]);
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect(
          logged("payment_notification", (l) => l.object_id === c.payment_id && l.outcome === "pending"),
        ).toHaveLength(1);
      });

      it("forged: an unknown payment id answers 200 and changes nothing", async () => {
        const d = yk.deliver(
          "payment.succeeded",
          { id: "2f6c8d1e-000f-5000-8000-000000000000", status: "succeeded" },
          true,
        );
        await yk.settled();
        expect(d.attempts).toEqual([200]);
        expect(
          logged("payment_notification", (l) => l.object_id === "2f6c8d1e-000f-5000-8000-000000000000")[0]
            ?.outcome,
        ).toBe("unknown");
      });

      it("forged: a real succeeded payment of another amount or currency for our order credits nothing", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_5");
        // Someone pays a cheaper payment they created themselves, naming our order in its metadata.
        for (const amount of [
          { value: "100.00", currency: "RUB" },
          { value: "500.00", currency: "USD" },
        ]) {
          const res = await fetch(`${yk.apiRoot}/payments`, {
            method: "POST",
            headers: {
              authorization: `Basic ${Buffer.from(`${yk.shopId}:${yk.secretKey}`).toString("base64")}`,
              "content-type": "application/json",
              "idempotence-key": createHash("sha256")
                .update(JSON.stringify(amount))
                .digest("hex")
                .slice(0, 32),
            },
            body: JSON.stringify({
              amount,
              capture: true,
              confirmation: { type: "redirect", return_url: "https://evil.example/" },
              metadata: { order_id: c.order_id },
            }),
          });
          const fake = (await res.json()) as { id: string };
          yk.pay(fake.id);
          await yk.settled();
          expect(logged("payment_mismatch", (l) => l.payment_id === fake.id)).toHaveLength(1);
        }
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect((await me(u)).balance).toBe(0);
      });

      it("from outside the allow-list: refused, nothing credited, logged", async () => {
        // The app believes X-Forwarded-For from loopback; the fake claims to forward for an outside address.
        await rig.restart({ MM_TRUSTED_PROXIES: "127.0.0.1,::1", MM_YOOKASSA_WEBHOOK_IPS: "185.71.76.0/27" });
        const restore = () => rig.restart();
        const u = await signUp();
        const c = await bought(u);
        yk.forwardedFor = "203.0.113.9";
        yk.maxAttempts = 2;
        try {
          yk.pay(c.payment_id);
          await yk.settled();
          expect(yk.deliveries.at(-1)?.attempts).toEqual([403, 403]);
          expect(rowsOf(c.payment_id)).toEqual([]);
          expect(logged("payment_notification_refused", (l) => l.ip === "203.0.113.9").length).toBe(2);
          // From an allowed address (through the same proxy) the same notification is accepted.
          yk.forwardedFor = "185.71.76.5";
          yk.deliver("payment.succeeded", { id: c.payment_id }, false);
          await yk.settled();
          expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
        } finally {
          yk.forwardedFor = undefined;
          yk.maxAttempts = 30;
          await restore();
        }
      });

      it("the API unreachable during a notification: non-200, retried, credited once when it answers", async () => {
        const u = await signUp();
        const c = await bought(u);
        yk.faults.down = 2; // the two re-fetches of the first two attempts fail
        yk.pay(c.payment_id);
        await yk.settled();
        expect(yk.deliveries.at(-1)?.attempts).toEqual([503, 503, 200]);
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
      });

      it("reordered: canceled of another order and succeeded arrive swapped; each order ends as the API says", async () => {
        const u = await signUp();
        const paid = await bought(u, "tokens_1");
        const dropped = await bought(u, "tokens_10");
        yk.notify.reorder = true;
        yk.pay(paid.payment_id);
        yk.cancel(dropped.payment_id);
        yk.release();
        await yk.settled();
        // A stale duplicate of the first event after everything: no change.
        yk.deliver("payment.succeeded", { id: paid.payment_id }, false);
        await yk.settled();
        expect((await order(u, paid.order_id)).status).toBe("succeeded");
        expect((await order(u, dropped.order_id)).status).toBe("canceled");
        expect((await me(u)).balance).toBe(1);
      });

      it("refund.succeeded reverses the credit exactly once", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_10");
        yk.pay(c.payment_id);
        await yk.settled();
        expect((await me(u)).balance).toBe(10);
        yk.notify.duplicate = 3;
        const r = yk.refund(c.payment_id);
        await yk.settled();
        yk.deliver("refund.succeeded", { id: r.id }, false);
        await yk.settled();
        expect(rowsOf(c.payment_id).sort((a, b) => a.delta - b.delta)).toEqual([
          { reason: "payment_refund", delta: -10 },
          { reason: "payment", delta: 10 },
        ]);
        expect((await me(u)).balance).toBe(0);
        expect((await order(u, c.order_id)).status).toBe("refunded");
      });

      it("a tier plan sets the tier and its expiry; a renewal extends from the current expiry, not from now", async () => {
        const u = await signUp();
        const DAY = 86_400_000;
        const t0 = Date.now();
        const first = await bought(u, "pro_month");
        yk.pay(first.payment_id);
        await yk.settled();
        const a = (await (await fetch(`${rig.url}/api/auth/me`, { headers: u.auth })).json()) as {
          tier: string;
          tier_expires_at: number;
          balance: number;
        };
        expect(a.tier).toBe("pro");
        expect(a.balance).toBe(50);
        expect(a.tier_expires_at).toBeGreaterThanOrEqual(t0 + 30 * DAY);
        expect(a.tier_expires_at).toBeLessThanOrEqual(Date.now() + 30 * DAY);
        const renewal = await bought(u, "pro_month");
        expect(renewal.order_id).not.toBe(first.order_id);
        yk.notify.duplicate = 3;
        yk.pay(renewal.payment_id);
        await yk.settled();
        const b = (await (await fetch(`${rig.url}/api/auth/me`, { headers: u.auth })).json()) as {
          tier_expires_at: number;
          balance: number;
        };
        expect(b.tier_expires_at).toBe(a.tier_expires_at + 30 * DAY);
        expect(b.balance).toBe(100);
        expect(rowsOf(renewal.payment_id)).toEqual([{ reason: "payment", delta: 50 }]);
      });

      it("metrics count orders by state and revenue", async () => {
        const m = (await (await fetch(`${rig.url}/api/metrics`)).json()) as {
          orders_by_status: Record<string, number>;
          revenue: Record<string, number>;
        };
        expect(m.orders_by_status.succeeded).toBeGreaterThan(0);
        expect(m.revenue.RUB).toBeGreaterThan(0);
        const text = await (await fetch(`${rig.url}/metrics`)).text();
        expect(text).toMatch(/magic_master_orders\{status="succeeded"\} \d+/);
        expect(text).toMatch(/magic_master_revenue_total\{currency="RUB"\} \d+/);
      });
    });

    describe("without credentials", () => {
      it("create answers a clear 503 and plans list no provider", async () => {
        await rig.restart({ MM_YOOKASSA_SHOP_ID: "", MM_YOOKASSA_SECRET_KEY: "" });
        const u = await signUp();
        const res = await create(u, { plan: "tokens_1" });
        expect(res.status).toBe(503);
        const b = (await (await fetch(`${rig.url}/api/payments/plans`)).json()) as { providers: string[] };
        expect(b.providers).toEqual([]);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payments_unavailable");
      });
    });
  });
}
