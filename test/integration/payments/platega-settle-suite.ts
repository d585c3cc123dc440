// Platega's settlement paths through the running service and the fake Platega: an operator's refund
// (`admin refund <order>`) reversing the credit once, and the reconcile task settling what lost or failed
// callbacks left pending. Run with platega-suite.ts (plategaSuite) on both backends.
import { beforeAll, describe, expect, it } from "bun:test";
import type { FakePlatega } from "../../fakes/platega";
import { rawSql } from "../../fixtures/backends";
import type { ApiBackend } from "../api/backends";
import { usePlatega } from "./platega-rig";

export function plategaSettleSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`Platega payments (${b.name})`, () => {
    const { rig, fake, signUp, create, bought, me, order, ordersOf, rowsOf, logged } = usePlatega(b);
    let pg: FakePlatega;
    beforeAll(() => {
      pg = fake();
    });

    describe("refund (admin refund <order>)", () => {
      /** `magic-master admin refund <order> --json` in-process, on the service's data folder. */
      const refund = (orderId: string) => rig.admin(["refund", orderId, "--json"]);

      it("cancels through Platega and reverses the credit exactly once; its callback and a repeat change nothing", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_10");
        pg.confirm(c.payment_id);
        await pg.settled();
        expect((await me(u)).balance).toBe(10);
        pg.notify.hold = true; // the CHARGEBACKED callback arrives after the command has settled
        pg.notify.duplicate = 2;
        const first = await refund(c.order_id);
        expect(first.code).toBe(0);
        expect(JSON.parse(first.out.at(-1) ?? "{}")).toMatchObject({
          order_id: c.order_id,
          outcome: "refunded",
        });
        pg.release();
        await pg.settled();
        const again = await refund(c.order_id);
        expect(JSON.parse(again.out.at(-1) ?? "{}")).toMatchObject({ outcome: "duplicate" });
        expect(pg.requests.filter((r) => r.path === `/transaction/${c.payment_id}/cancel`)).toHaveLength(1);
        expect(pg.transactions.get(c.payment_id)?.status).toBe("CHARGEBACKED");
        expect(rowsOf(c.payment_id)).toEqual([
          { reason: "payment", delta: 10 },
          { reason: "payment_refund", delta: -10 },
        ]);
        expect((await me(u)).balance).toBe(0);
        expect((await order(u, c.order_id)).status).toBe("refunded");
        expect(
          logged(
            "payment_notification",
            (l) => l.object_id === c.payment_id && l.status === "CHARGEBACKED",
          ).map((l) => l.outcome),
        ).toEqual(["duplicate", "duplicate"]);
        const audit = rawSql(rig.s.backend).all<{ details: string }>(
          "SELECT details FROM audit_log WHERE target = $1 ORDER BY id",
          [`order:${c.order_id}`],
        );
        expect(audit.map((a) => JSON.parse(a.details))).toEqual([
          { outcome: "refunded", provider: "platega" },
          { outcome: "duplicate", provider: "platega" },
        ]);
      });

      it("Platega's manual path (accepted:false) and an unpaid order: refused, nothing reversed", async () => {
        const u = await signUp();
        const unpaid = await bought(u, "tokens_1");
        const r1 = await refund(unpaid.order_id);
        expect(r1.code).not.toBe(0);
        expect(r1.out.join("\n")).toMatch(/cannot be refunded|нельзя вернуть/);
        const c = await bought(u, "tokens_5");
        pg.confirm(c.payment_id);
        await pg.settled();
        pg.manualRefunds = true;
        try {
          const r2 = await refund(c.order_id);
          expect(r2.code).not.toBe(0);
          expect(r2.out.join("\n")).toMatch(/automatically|автоматически/);
        } finally {
          pg.manualRefunds = false;
        }
        expect((await order(u, c.order_id)).status).toBe("succeeded");
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
        expect((await me(u)).balance).toBe(5);
      });
    });

    describe("reconcile", () => {
      it("the API down through every callback retry: the order stays pending, the reconcile task credits it once", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_5");
        pg.faults.down = 4; // every re-fetch of the first attempt and the 3 retries fails
        pg.confirm(c.payment_id);
        await pg.settled();
        expect(pg.deliveries.at(-1)?.attempts).toEqual([503, 503, 503, 503]);
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect(rowsOf(c.payment_id)).toEqual([]);
        expect(logged("payment_notification_deferred", (l) => l.provider === "platega").length).toBe(4);
        const counts = await rig.s.scheduler.runOnce("reconcile");
        expect(counts).toMatchObject({ errors: 0 });
        expect((await order(u, c.order_id)).status).toBe("succeeded");
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
        // A second run, and a late callback, change nothing.
        await rig.s.scheduler.runOnce("reconcile");
        const t = pg.transactions.get(c.payment_id) as NonNullable<ReturnType<typeof pg.transactions.get>>;
        pg.deliver(pg.callbackOf(t));
        await pg.settled();
        expect(rowsOf(c.payment_id)).toEqual([{ reason: "payment", delta: 5 }]);
        expect((await me(u)).balance).toBe(5);
      });

      it("a lost CANCELED callback: reconcile closes the order from what the API says", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_1");
        pg.notify.hold = true; // never released: the callback is lost
        pg.cancel(c.payment_id);
        await rig.s.scheduler.runOnce("reconcile");
        expect((await order(u, c.order_id)).status).toBe("canceled");
        expect(
          logged("payment_reconciled", (l) => l.order_id === c.order_id)[0] as Record<string, unknown>,
        ).toMatchObject({ provider: "platega", status: "CANCELED", outcome: "canceled" });
      });

      it("a create that never answered: kept for the buyer's retry for an hour, then canceled by reconcile", async () => {
        const u = await signUp();
        pg.faults.down = 1;
        expect((await create(u, { plan: "tokens_1", provider: "platega" })).status).toBe(503);
        const [row] = ordersOf(u);
        await rig.s.scheduler.runOnce("reconcile");
        expect(ordersOf(u)[0]?.status).toBe("pending");
        // An hour later (the service has no clock to move: the row is dated back instead).
        rawSql(rig.s.backend).run("UPDATE orders SET created_at = created_at - 3600000 WHERE id = $1", [
          row?.id ?? "",
        ]);
        await rig.s.scheduler.runOnce("reconcile");
        expect(ordersOf(u)[0]?.status).toBe("canceled");
        expect(logged("payment_expired", (l) => l.order_id === row?.id)).toHaveLength(1);
        // The next click is a new order with its own transaction.
        const c = await bought(u, "tokens_1");
        expect(c.order_id).not.toBe(row?.id);
      });

      it("the API still down during reconcile: counted as an error, the order stays pending", async () => {
        const u = await signUp();
        const c = await bought(u, "tokens_1");
        pg.notify.hold = true;
        pg.confirm(c.payment_id);
        pg.faults.down = 1000;
        const counts = await rig.s.scheduler.runOnce("reconcile");
        pg.faults.down = 0;
        expect((counts as { errors: number }).errors).toBeGreaterThan(0);
        expect((await order(u, c.order_id)).status).toBe("pending");
        expect(logged("payment_reconcile_failed", (l) => l.order_id === c.order_id)).toHaveLength(1);
        await rig.s.scheduler.runOnce("reconcile");
        expect((await order(u, c.order_id)).status).toBe("succeeded");
      });
    });
  });
}
