// Refunds through the running service and the fake YooKassa: partial refunds take back their share of
// the order's tokens (cumulatively rounded, so parts adding up to the whole take back exactly what the
// order gave), each once however often delivered; the last part moves the order to refunded. A refunded
// tier plan takes its days off the tier once: a renewal's refund moves the expiry back, a first purchase's
// refund ends the tier at once, a partial refund takes its share of the days.
// The body runs on the SQLite file (refunds.test.ts) and on a harness Postgres (refunds-pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { DAY_MS } from "../../../src/accounts";
import { FakeYooKassa } from "../../fakes/yookassa";
import { rawSql } from "../../fixtures/backends";
import { type Buyer, PaymentsRig } from "../../fixtures/payments";
import type { ApiBackend } from "../api/backends";

export function refundsSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`YooKassa refunds (${b.name})`, () => {
    let yk: FakeYooKassa;
    const rig = new PaymentsRig(b, {
      dirPrefix: "mm-refunds-",
      env: () => yk.serviceEnv(),
      started: (url) => {
        yk.webhookUrl = `${url}/api/payments/webhook`;
      },
    });
    const { logs } = rig;
    const signUp = () => rig.signUp("refund");

    beforeAll(async () => {
      yk = new FakeYooKassa();
      await rig.start();
    });
    afterAll(async () => {
      await rig.stop();
      await yk.stop();
    });

    async function paid(u: Buyer, plan: string) {
      const res = await rig.create(u, { plan });
      expect(res.status).toBe(200);
      const c = (await res.json()) as { order_id: string; payment_id: string };
      yk.pay(c.payment_id);
      await yk.settled();
      return c;
    }

    /** A refund of `value` (all of it when omitted), delivered `times` times. */
    async function refund(paymentId: string, value?: string, times = 1) {
      yk.notify.duplicate = times;
      const r = yk.refund(paymentId, value);
      await yk.settled();
      yk.notify.duplicate = 1;
      return r;
    }

    const me = (u: Buyer) => rig.me(u);
    const status = async (u: Buyer, orderId: string) => (await rig.order(u, orderId)).status;
    const refundRows = (u: Buyer) =>
      rawSql(rig.s.backend).all<{ delta: number; ref: string }>(
        "SELECT delta, ref FROM ledger WHERE user_id = $1 AND reason = 'payment_refund' ORDER BY id",
        [u.id],
      );
    const grantRows = (u: Buyer) =>
      rawSql(rig.s.backend).all<{ days: number; ref: string }>(
        "SELECT days, ref FROM tier_grants WHERE user_id = $1 ORDER BY id",
        [u.id],
      );

    describe("partial refunds", () => {
      it("take back their share of the tokens, each once; the parts adding up to the whole end the order refunded", async () => {
        const u = await signUp();
        const c = await paid(u, "tokens_10"); // 1000.00 ₽ for 10 tokens
        const r1 = await refund(c.payment_id, "250.00", 3); // 2.5 → 3 (nearest, cumulative)
        expect((await me(u)).balance).toBe(7);
        expect(await status(u, c.order_id)).toBe("succeeded");
        const r2 = await refund(c.payment_id, "250.00", 3); // cumulative 5 → 2 more
        expect((await me(u)).balance).toBe(5);
        // A stale duplicate of the first refund, after the second: nothing.
        yk.deliver("refund.succeeded", { id: r1.id }, false);
        await yk.settled();
        expect((await me(u)).balance).toBe(5);
        const r3 = await refund(c.payment_id, "500.00"); // the rest: exactly the 5 left
        expect((await me(u)).balance).toBe(0);
        expect(await status(u, c.order_id)).toBe("refunded");
        expect(refundRows(u)).toEqual([
          { delta: -3, ref: `yookassa:${c.payment_id}:${r1.id}` },
          { delta: -2, ref: `yookassa:${c.payment_id}:${r2.id}` },
          { delta: -5, ref: `yookassa:${c.payment_id}:${r3.id}` },
        ]);
        expect(
          logs.filter((l) => l.event === "payment_partial_refund" && l.order_id === c.order_id),
        ).toHaveLength(2);
      });
    });

    describe("a refunded tier plan shortens the tier", () => {
      it("a renewal's refund moves the expiry back by its 30 days and takes its 50 tokens, once", async () => {
        const u = await signUp();
        await paid(u, "pro_month");
        const first = await me(u);
        const renewal = await paid(u, "pro_month");
        expect((await me(u)).tier_expires_at).toBe((first.tier_expires_at ?? 0) + 30 * DAY_MS);
        await refund(renewal.payment_id, undefined, 3);
        const after = await me(u);
        expect(after).toMatchObject({ tier: "pro", tier_expires_at: first.tier_expires_at, balance: 50 });
        expect(grantRows(u).map((g) => g.days)).toEqual([30, 30, -30]);
        expect(grantRows(u).at(-1)?.ref).toBe(`refund:yookassa:${renewal.payment_id}`);
      });

      it("a first purchase refunded in full ends the tier at once (back to free) and takes the tokens", async () => {
        const u = await signUp();
        const c = await paid(u, "studio_month");
        expect((await me(u)).tier).toBe("studio");
        await refund(c.payment_id);
        expect(await me(u)).toMatchObject({ tier: "free", tier_expires_at: null, balance: 0 });
        expect(await status(u, c.order_id)).toBe("refunded");
      });

      it("a half refund takes half the days and half the tokens", async () => {
        const u = await signUp();
        const c = await paid(u, "pro_month"); // 1000.00 ₽: 30 days, 50 tokens
        const before = await me(u);
        await refund(c.payment_id, "500.00", 2);
        expect(await me(u)).toMatchObject({
          tier: "pro",
          tier_expires_at: (before.tier_expires_at ?? 0) - 15 * DAY_MS,
          balance: 25,
        });
        expect(await status(u, c.order_id)).toBe("succeeded");
      });
    });

    describe("ops figures after these payments and refunds", () => {
      it("admin stats (CLI table and JSON) and metrics (JSON, Prometheus) show today's orders, money paid and refunded", async () => {
        const json = await rig.admin(["stats", "--days", "1", "--json"]);
        expect(json.code).toBe(0);
        const cli = JSON.parse(json.out.at(-1) ?? "{}") as {
          days: {
            live: boolean;
            ordersPaid: number;
            revenueMinor: Record<string, number>;
            refundsMinor: Record<string, number>;
          }[];
          payments: {
            revenue: Record<string, number>;
            paid: Record<string, number>;
            refunds: Record<string, number>;
          };
        };
        // Paid today: tokens_10 1000, pro_month ×2 2000, studio_month 2500, pro_month 1000 = 6500 ₽ in 5 orders.
        expect(cli.days[0]).toMatchObject({
          ordersCreated: 5,
          ordersPaid: 5,
          revenueMinor: { RUB: 6500_00 },
        });
        // Refunded: 1000 (three parts) + 1000 (renewal) + 2500 (studio) + 500 (half) = 5000 ₽.
        expect(cli.days[0]?.refundsMinor).toEqual({ RUB: 5000_00 });
        expect(cli.payments).toEqual(
          expect.objectContaining({ revenue: { RUB: 1500 }, paid: { RUB: 6500 }, refunds: { RUB: 5000 } }),
        );
        const table = await rig.admin(["stats", "--days", "1"]);
        expect(table.code).toBe(0);
        const out = table.out;
        expect(out.at(-2)).toContain("revenue 1500.00 RUB  (paid 6500.00 RUB, refunded 5000.00 RUB)");
        expect(out.at(-1)).toMatch(/ordersPaid\s+revenue\s+refunds/);
        expect(out.at(-1)).toMatch(/\s5\s+6500\.00 RUB\s+5000\.00 RUB/);

        const m = (await (await fetch(`${rig.url}/api/metrics`)).json()) as {
          revenue: Record<string, number>;
        };
        expect(m.revenue).toEqual({ RUB: 1500 });
        const prom = await (await fetch(`${rig.url}/metrics`)).text();
        expect(prom).toContain('magic_master_revenue_total{currency="RUB"} 6500');
        expect(prom).toContain('magic_master_refunds_total{currency="RUB"} 5000');
      });
    });
  });
}
