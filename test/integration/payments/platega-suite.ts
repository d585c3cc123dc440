// Platega end to end through the running service and the fake Platega (a real HTTP server speaking its
// wire format): the order row first and one transaction per order whatever the clicks (Platega has no
// idempotency key), callbacks authenticated by X-MerchantId + X-Secret and then re-fetched, credits and
// chargebacks once, and the reconcile task settling what a lost callback left pending. HTTP over
// loopback.
// The body runs on the SQLite file (platega.test.ts) and on a harness Postgres (platega-pg.test.ts); the
// refund and reconcile tests are in platega-settle-suite.ts, run by the same runners through plategaSuite.
import { beforeAll, describe, expect, it } from "bun:test";
import type { FakePlatega } from "../../fakes/platega";
import type { ApiBackend } from "../api/backends";
import { type Created, usePlatega } from "./platega-rig";
import { plategaSettleSuite } from "./platega-settle-suite";

/** Every Platega test: create and callbacks here, refunds and reconcile in platega-settle-suite.ts. */
export function plategaSuite(b: ApiBackend): void {
  plategaFlowSuite(b);
  plategaSettleSuite(b);
}

function plategaFlowSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`Platega payments (${b.name})`, () => {
    const { rig, fake, signUp, create, bought, me, order, ordersOf, rowsOf, logged } = usePlatega(b);
    let pg: FakePlatega;
    beforeAll(() => {
      pg = fake();
    });

    describe("plans and create", () => {
      it("the plans answer names Platega; create without a provider uses it", async () => {
        const b = (await (await fetch(`${rig.url}/api/payments/plans`)).json()) as { providers: string[] };
        expect(b.providers).toEqual(["platega"]);
        const u = await signUp();
        const res = await create(u, { plan: "tokens_1" });
        expect(res.status).toBe(200);
        expect(((await res.json()) as Created).provider).toBe("platega");
        // YooKassa is off here: asking for it is a clear 503, not a silent switch to Platega.
        const off = await create(u, { plan: "tokens_1", provider: "yookassa" });
        expect(off.status).toBe(503);
        expect(((await off.json()) as { error: { code: string } }).error.code).toBe("payments_unavailable");
      });

      it("needs a signed-in user; sends rubles as a number, our order as payload, our return URL", async () => {
        const anon = await fetch(`${rig.url}/api/payments/create`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ plan: "tokens_5", provider: "platega" }),
        });
        expect(anon.status).toBe(401);
        const u = await signUp();
        const c = await bought(u, "tokens_5");
        expect(c.provider).toBe("platega");
        expect(c.status).toBe("pending");
        const t = pg.transactions.get(c.payment_id);
        expect(t).toMatchObject({
          amount: 500,
          currency: "RUB",
          payload: c.order_id,
          return: `https://master.example.test/?order=${c.order_id}`,
          failedUrl: `https://master.example.test/?order=${c.order_id}`,
          paymentMethod: null,
        });
        expect(t?.metadata).toEqual({ userId: String(u.id) });
        expect(c.confirmation_url).toBe(`${pg.url}/pay/${c.payment_id}`);
        expect(pg.requests.filter((r) => r.path === "/v2/transaction/process").at(-1)?.status).toBe(200);
        expect(await order(u, c.order_id)).toMatchObject({ status: "pending", payment_id: c.payment_id });
      });

      it("a double click (8 at once, then one more) makes one order and one Platega transaction", async () => {
        const u = await signUp();
        const before = pg.created;
        const all = await Promise.all(Array.from({ length: 8 }, () => bought(u)));
        all.push(await bought(u));
        expect(new Set(all.map((c) => c.order_id)).size).toBe(1);
        expect(new Set(all.map((c) => c.payment_id)).size).toBe(1);
        expect(pg.created).toBe(before + 1);
        expect(ordersOf(u)).toHaveLength(1);
      });

      it("provider down: a clear 503 in the caller's language, the order kept pending; a retry gets one transaction", async () => {
        const u = await signUp();
        pg.faults.down = 1;
        const before = pg.created;
        const res = await create(u, { plan: "tokens_5", provider: "platega" }, "ru");
        expect(res.status).toBe(503);
        const e = (await res.json()) as { error: { code: string; message: string } };
        expect(e.error.code).toBe("payment_provider_unavailable");
        expect(e.error.message).toMatch(/Платёжный провайдер не отвечает/);
        expect(pg.created).toBe(before);
        expect(ordersOf(u)).toEqual([
          expect.objectContaining({ status: "pending", provider_payment_id: null }),
        ]);
        const c = await bought(u);
        expect(c.order_id).toBe(ordersOf(u)[0]?.id ?? "");
        expect(pg.created).toBe(before + 1);
        expect((await bought(u)).payment_id).toBe(c.payment_id);
      });

      it("a 500 after Platega made a transaction: not repeated blindly; its orphan's expiry does not cancel the order", async () => {
        const u = await signUp();
        pg.faults.failAfterCreate = 1;
        const before = pg.created;
        expect((await create(u, { plan: "tokens_10", provider: "platega" })).status).toBe(503);
        // Exactly one create was sent for the click: the client never repeats a create.
        expect(pg.created).toBe(before + 1);
        const [row] = ordersOf(u);
        const orphan = pg.of(row?.id ?? "")[0];
        expect(orphan?.status).toBe("PENDING");
        // The buyer retries: the order gets the transaction whose link they are given.
        const c = await bought(u, "tokens_10");
        expect(c.order_id).toBe(row?.id ?? "");
        expect(c.payment_id).not.toBe(orphan?.id);
        // The orphan (no buyer ever had its link) is canceled by Platega: its CANCELED callback names our
        // order, but it is not the order's transaction, so nothing changes (logged).
        pg.cancel(orphan?.id ?? "");
        await pg.settled();
        expect(logged("payment_mismatch", (l) => l.payment_id === orphan?.id)).toHaveLength(1);
        expect((await order(u, c.order_id)).status).toBe("pending");
        // Its own transaction still settles it.
        pg.confirm(c.payment_id);
        await pg.settled();
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 10 }]);
      });

      it("an unpaid transaction expires after 15 minutes (fake clock): the order is canceled", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_1");
        pg.advance(15 * 60_000);
        await pg.settled();
        expect(pg.transactions.get(c.payment_id)?.status).toBe("CANCELED");
        expect((await order(u, c.order_id)).status).toBe("canceled");
      });
    });

    describe("callbacks", () => {
      it("delivered 10 times at once, then 10 more one by one: credited once", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_10");
        pg.notify.duplicate = 10;
        pg.confirm(c.payment_id);
        await pg.settled();
        const t = pg.transactions.get(c.payment_id);
        for (let i = 0; i < 10; i++) {
          pg.deliver(pg.callbackOf(t as NonNullable<typeof t>));
          await pg.settled();
        }
        const mine = pg.deliveries.filter((d) => d.transactionId === c.payment_id);
        expect(mine).toHaveLength(20);
        expect(mine.every((d) => d.attempts.length === 1 && d.attempts[0] === 200)).toBe(true);
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 10 }]);
        expect((await me(u)).balance).toBe(10);
        expect((await order(u, c.order_id)).status).toBe("succeeded");
        const outcomes = logged("payment_notification", (l) => l.object_id === c.payment_id).map(
          (l) => l.outcome,
        );
        expect(outcomes.filter((o) => o === "credited")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(19);
      });

      it("a wrong X-Secret or X-MerchantId: 401 on every retry, nothing credited, logged", async () => {
        const u = await signUp();
        const c = await bought(u);
        const refusedBefore = logged("payment_callback_refused").length;
        pg.notify.wrongSecret = true;
        pg.confirm(c.payment_id);
        await pg.settled();
        const forged = pg.deliveries.at(-1);
        expect(forged?.forged).toBe(true);
        expect(forged?.attempts).toEqual([401, 401, 401, 401]); // the first attempt and Platega's 3 retries
        const t = pg.transactions.get(c.payment_id) as NonNullable<ReturnType<typeof pg.transactions.get>>;
        const other = pg.deliver(pg.callbackOf(t), false, {
          "x-merchantid": "00000000-0000-0000-0000-000000000000",
        });
        const none = pg.deliver(pg.callbackOf(t), false, { "x-merchantid": "", "x-secret": "" });
        await pg.settled();
        expect(other.attempts[0]).toBe(401);
        expect(none.attempts[0]).toBe(401);
        expect(rowsOf(c.payment_id)).toEqual([]);
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect(logged("payment_callback_refused").length - refusedBefore).toBe(12);
        expect(logged("payment_callback_refused").at(-1)).toMatchObject({ provider: "platega" });
        // The forged callbacks never reached the API: no re-fetch of the transaction.
        expect(pg.requests.filter((r) => r.path === `/transaction/${c.payment_id}`)).toHaveLength(0);
        // Delivered with the right headers, the same callback credits.
        pg.deliver(pg.callbackOf(t));
        await pg.settled();
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
      });

      it("an unknown transaction id answers 200 and changes nothing (logged)", async () => {
        const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
        const d = pg.deliver({ id, amount: 500, currency: "RUB", status: "CONFIRMED", paymentMethod: 2 });
        await pg.settled();
        expect(d.attempts).toEqual([200]);
        expect(logged("payment_notification", (l) => l.object_id === id)[0]).toMatchObject({
          outcome: "unknown",
          provider: "platega",
        });
        expect(rowsOf(id)).toEqual([]);
      });

      it("a body saying CONFIRMED while the API says PENDING credits nothing", async () => {
        const u = await signUp();
        const c = await bought(u);
        const t = pg.transactions.get(c.payment_id) as NonNullable<ReturnType<typeof pg.transactions.get>>;
        pg.deliver({ ...pg.callbackOf(t), status: "CONFIRMED" });
        await pg.settled();
        expect(rowsOf(c.payment_id)).toEqual([]);
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect(
          logged("payment_notification", (l) => l.object_id === c.payment_id && l.outcome === "pending"),
        ).toHaveLength(1);
      });

      it("a CONFIRMED transaction of another amount or currency naming our order credits nothing (logged)", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_5");
        for (const details of [
          { amount: 100, currency: "RUB" },
          { amount: 500, currency: "USD" },
        ]) {
          // Someone makes (and pays) a cheaper transaction of their own whose payload names our order.
          const res = await fetch(`${pg.url}/v2/transaction/process`, {
            method: "POST",
            headers: {
              "x-merchantid": pg.merchantId,
              "x-secret": pg.secret,
              "content-type": "application/json",
            },
            body: JSON.stringify({
              paymentDetails: details,
              description: "cheap",
              return: "https://evil.example/",
              failedUrl: "https://evil.example/",
              payload: c.order_id,
            }),
          });
          const { transactionId } = (await res.json()) as { transactionId: string };
          pg.confirm(transactionId);
          await pg.settled();
          expect(logged("payment_mismatch", (l) => l.payment_id === transactionId)).toHaveLength(1);
          expect(rowsOf(transactionId)).toEqual([]);
        }
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect((await me(u)).balance).toBe(0);
      });

      it("CANCELED closes the order; a late duplicate changes nothing", async () => {
        const u = await signUp();
        const c = await bought(u);
        pg.notify.duplicate = 2;
        pg.cancel(c.payment_id);
        await pg.settled();
        expect((await order(u, c.order_id)).status).toBe("canceled");
        expect(rowsOf(c.payment_id)).toEqual([]);
        // The next click makes a new order (the canceled one is closed).
        const again = await bought(u);
        expect(again.order_id).not.toBe(c.order_id);
      });

      it("CHARGEBACKED reverses the credit exactly once (duplicates, a late CONFIRMED re-delivery)", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_10");
        pg.confirm(c.payment_id);
        await pg.settled();
        expect((await me(u)).balance).toBe(10);
        pg.notify.duplicate = 5;
        pg.chargeback(c.payment_id);
        await pg.settled();
        const t = pg.transactions.get(c.payment_id) as NonNullable<ReturnType<typeof pg.transactions.get>>;
        pg.deliver(pg.callbackOf(t));
        pg.deliver({ ...pg.callbackOf(t), status: "CONFIRMED" }); // stale body; the API says CHARGEBACKED
        await pg.settled();
        expect(rowsOf(c.payment_id)).toEqual([
          { reason: "payment", delta: 10 },
          { reason: "payment_refund", delta: -10 },
        ]);
        expect((await me(u)).balance).toBe(0);
        expect((await order(u, c.order_id)).status).toBe("refunded");
        expect(
          logged("payment_notification", (l) => l.object_id === c.payment_id && l.outcome === "refunded"),
        ).toHaveLength(1);
      });

      it("a tier plan through Platega sets the tier, its expiry and its tokens", async () => {
        const u = await signUp();
        const t0 = Date.now();
        const c = await bought(u, "pro_month");
        pg.notify.duplicate = 3;
        pg.confirm(c.payment_id);
        await pg.settled();
        const a = await me(u);
        expect(a.tier).toBe("pro");
        expect(a.balance).toBe(50);
        expect(a.tier_expires_at).toBeGreaterThanOrEqual(t0 + 30 * 86_400_000);
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 50 }]);
      });
    });
  });
}
