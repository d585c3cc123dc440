// The plans and orders stores on one backend, and settlement over them: seeding once, compare-and-set
// transitions with their stamps, the first payment attached wins, refunds summed per order, the day's and
// all-time money, the admin list's filters and pages, and the operator's analytics. Run on both backends
// by stores.test.ts; every figure is written out, so the two backends are held to the same numbers.

import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { randomUUID } from "node:crypto";
import {
  createLedger,
  createSettlement,
  DEFAULT_PLANS,
  type Ledger,
  type OrderRow,
  PAYMENT,
} from "../../../src/billing";
import { silentLogger } from "../../../src/log";
import type { BillingBackend, BillingDb } from "./backends";

const T0 = Date.UTC(2026, 10, 20, 10);
const HOUR = 3_600_000;

export function ordersSuite(b: BillingBackend) {
  describe.skipIf(b.skip ?? false)(`plans and orders stores on ${b.name}`, () => {
    let db: BillingDb;
    let ledger: Ledger;
    let clock = T0;
    beforeEach(() => {
      db = b.open();
      clock = T0;
      ledger = createLedger({ store: db.stores.ledger, costOf: () => 1, now: () => clock });
    });
    afterEach(() => db.close());

    const order = (userId: number, o: Partial<OrderRow> = {}): OrderRow =>
      db.stores.orders.insert({
        id: o.id ?? randomUUID(),
        userId,
        planKey: o.planKey ?? "tokens_10",
        kind: "tokens",
        tier: null,
        periodDays: 0,
        tokens: o.tokens ?? 10,
        amountMinor: o.amountMinor ?? 1000_00,
        currency: o.currency ?? "RUB",
        provider: o.provider ?? "yookassa",
        createdAt: o.createdAt ?? clock,
        updatedAt: o.createdAt ?? clock,
      });
    const settlement = () =>
      createSettlement({ orders: db.stores.orders, ledger, log: silentLogger, now: () => clock });

    it("seeds plans on an empty table only, lists them in order, updates and inserts once", () => {
      const p = db.stores.plans;
      p.seed(DEFAULT_PLANS, T0);
      p.seed([{ ...(DEFAULT_PLANS[0] as (typeof DEFAULT_PLANS)[number]), key: "late_seed" }], T0);
      expect(p.list().map((r) => r.key)).toEqual(DEFAULT_PLANS.map((r) => r.key));
      expect(p.get("late_seed")).toBeUndefined();
      const after = p.update("tokens_5", { amountMinor: 490_00, active: false, stars: null }, T0 + 1);
      expect(after).toMatchObject({ key: "tokens_5", amountMinor: 490_00, active: false, stars: null });
      expect(after.updatedAt).toBe(T0 + 1);
      expect(p.get("tokens_5")).toEqual(after);
      const base = { ...(DEFAULT_PLANS[0] as (typeof DEFAULT_PLANS)[number]), key: "pack_a", sort: 5 };
      expect(p.insert(base, T0)).toMatchObject({ key: "pack_a", active: true, updatedAt: T0 });
      expect(p.insert({ ...base, amountMinor: 1 }, T0)).toBeUndefined();
      expect(p.list()[0]?.key).toBe("pack_a");
    });

    it("moves orders compare-and-set, stamping paid_at and refunded_at; the first payment id wins", () => {
      const o = db.stores.orders;
      const u = db.user();
      const a = order(u);
      expect(o.get(a.id)).toEqual(a);
      expect(a).toMatchObject({ status: "pending", providerPaymentId: null, paidAt: null });
      expect(o.attachPayment(a.id, "pay-1", "https://pay/1", T0 + 1)).toMatchObject({
        providerPaymentId: "pay-1",
        confirmationUrl: "https://pay/1",
      });
      // Another payment id does not replace it; the same one without a URL keeps the URL.
      expect(o.attachPayment(a.id, "pay-2", "https://pay/2", T0 + 2)?.providerPaymentId).toBe("pay-1");
      expect(o.attachPayment(a.id, "pay-1", null, T0 + 3)?.confirmationUrl).toBe("https://pay/1");
      expect(o.byProviderPayment("yookassa", "pay-1")?.id).toBe(a.id);
      expect(o.byProviderPayment("platega", "pay-1")).toBeUndefined();
      o.noteError(a.id, "x".repeat(600), T0 + 4);
      expect(o.get(a.id)?.lastError).toHaveLength(500);
      expect(o.transition(a.id, ["canceled"], "succeeded", T0 + 5)).toBe(false);
      expect(o.transition(a.id, ["pending", "canceled"], "succeeded", T0 + 5)).toBe(true);
      expect(o.transition(a.id, ["pending", "canceled"], "succeeded", T0 + 6)).toBe(false);
      expect(o.transition(a.id, ["succeeded"], "refunded", T0 + 7)).toBe(true);
      expect(o.get(a.id)).toMatchObject({ status: "refunded", paidAt: T0 + 5, refundedAt: T0 + 7 });
      expect(o.transition("no-such-order", ["pending"], "canceled", T0)).toBe(false);
    });

    it("finds the open order of a plan and the pending ones to reconcile, oldest first", () => {
      const o = db.stores.orders;
      const u = db.user();
      const old = order(u, { createdAt: T0 - 3 * HOUR });
      const newer = order(u, { createdAt: T0 - HOUR });
      const newest = order(u, { createdAt: T0 - 60_000 });
      order(u, { createdAt: T0, provider: "platega" });
      order(u, { createdAt: T0, planKey: "tokens_5" });
      o.transition(newest.id, ["pending"], "canceled", T0);
      expect(o.openOrder(u, "tokens_10", "yookassa", T0 - 2 * HOUR)?.id).toBe(newer.id);
      expect(o.openOrder(u, "tokens_10", "yookassa", T0 - 30_000)).toBeUndefined();
      expect(o.pendingBefore("yookassa", T0, 10).map((r) => r.id)).toEqual([old.id, newer.id]);
      expect(o.pendingBefore("yookassa", T0, 1).map((r) => r.id)).toEqual([old.id]);
    });

    it("settles once, takes partial refunds back by share, and sums money per day and in all", () => {
      const o = db.stores.orders;
      const s = settlement();
      const u = db.user();
      const rub = order(u);
      const xtr = order(u, { currency: "XTR", provider: "stars", amountMinor: 600, tokens: 6 });
      order(u, { amountMinor: 500_00 }); // stays pending
      expect(s.credit(rub, "pay-rub-1")).toBe("credited");
      expect(s.credit(rub, "pay-rub-1")).toBe("duplicate");
      expect(s.credit(xtr, "charge-1")).toBe("credited");
      expect(ledger.entry(PAYMENT, "yookassa:pay-rub-1")?.delta).toBe(10);
      expect(ledger.balance(u)).toBe(16);

      clock = T0 + 24 * HOUR;
      const refund = (id: string, value: string) =>
        s.applyRefund({
          id,
          payment_id: "pay-rub-1",
          status: "succeeded",
          amount: { value, currency: "RUB" },
        });
      expect(refund("rf-1", "250.00")).toBe("partial_refund");
      expect(refund("rf-1", "250.00")).toBe("duplicate");
      expect(refund("rf-big", "800.00")).toBe("mismatch");
      expect(o.refundTotals(rub.id)).toEqual({ amountMinor: 250_00, tokensDue: 3, daysDue: 0, count: 1 });
      expect(o.refundByRef("yookassa:pay-rub-1:rf-1")).toMatchObject({ orderId: rub.id, tokensTaken: 3 });
      expect(o.counts()).toEqual({
        byStatus: { pending: 1, succeeded: 2, canceled: 0, refunded: 0 },
        revenueMinor: { RUB: 750_00, XTR: 600 },
        paidMinor: { RUB: 1000_00, XTR: 600 },
        refundedMinor: { RUB: 250_00 },
      });
      expect(refund("rf-2", "750.00")).toBe("refunded");
      expect(o.refundsOf(rub.id).map((r) => [r.amountMinor, r.tokensDue])).toEqual([
        [250_00, 3],
        [750_00, 7],
      ]);
      expect(ledger.balance(u)).toBe(6);
      expect(o.get(rub.id)?.status).toBe("refunded");
      // No RUB order stays paid: its revenue key goes; what was paid and refunded only grows.
      expect(o.counts()).toEqual({
        byStatus: { pending: 1, succeeded: 1, canceled: 0, refunded: 1 },
        revenueMinor: { XTR: 600 },
        paidMinor: { RUB: 1000_00, XTR: 600 },
        refundedMinor: { RUB: 1000_00 },
      });
      expect(o.daySummary(T0 - HOUR, T0 + HOUR)).toEqual({
        created: 3,
        paid: 2, // the day it was paid keeps the refunded order's money (its refunds count on theirs)
        revenueMinor: { RUB: 1000_00, XTR: 600 },
        refundsMinor: {},
      });
      expect(o.daySummary(T0 + 23 * HOUR, T0 + 25 * HOUR)).toEqual({
        created: 0,
        paid: 0,
        revenueMinor: {},
        refundsMinor: { RUB: 1000_00 },
      });
      expect(() =>
        o.recordRefund({
          orderId: rub.id,
          ref: "yookassa:pay-rub-1:rf-1",
          amountMinor: 1,
          currency: "RUB",
          tokensDue: 0,
          tokensTaken: 0,
          daysDue: 0,
          actor: "test",
          createdAt: clock,
        }),
      ).toThrow(/UNIQUE/);
    });

    it("lists orders for the admin panel by filter, newest first, with the total", () => {
      const [u, v] = [db.user(), db.user()];
      const rows = [0, 1, 2, 3, 4].map((i) =>
        order(i < 3 ? u : v, { createdAt: T0 + i * HOUR, provider: i % 2 ? "stars" : "yookassa" }),
      );
      const [r0, r1, r2, r3, r4] = rows as [OrderRow, OrderRow, OrderRow, OrderRow, OrderRow];
      db.stores.orders.attachPayment(r2.id, "pay-x", null, T0);
      db.stores.orders.transition(r4.id, ["pending"], "canceled", T0);
      const list = db.stores.orderAdmin.list;
      const ids = (l: { rows: OrderRow[] }) => l.rows.map((r) => r.id);
      expect(ids(list({}, 10, 0))).toEqual([r4.id, r3.id, r2.id, r1.id, r0.id]);
      expect(list({}, 2, 1)).toMatchObject({ total: 5 });
      expect(ids(list({}, 2, 1))).toEqual([r3.id, r2.id]);
      expect(ids(list({ userId: u, provider: "yookassa" }, 10, 0))).toEqual([r2.id, r0.id]);
      expect(ids(list({ status: "canceled" }, 10, 0))).toEqual([r4.id]);
      expect(ids(list({ id: "pay-x" }, 10, 0))).toEqual([r2.id]);
      expect(ids(list({ id: r1.id }, 10, 0))).toEqual([r1.id]);
      expect(ids(list({ from: T0 + HOUR, to: T0 + 3 * HOUR, plan: "tokens_10" }, 10, 0))).toEqual([
        r2.id,
        r1.id,
      ]);
      expect(list({ plan: "nope" }, 10, 0)).toEqual({ rows: [], total: 0 });
    });

    it("reports top spenders, paid money, orders by status and plan, and token sources", () => {
      const s = settlement();
      const [u, v] = [db.user(), db.user()];
      ledger.credit(u, 5, { note: "x", actor: "cli" });
      ledger.credit(v, 5, { note: "x", actor: "cli" });
      const j = (id: string, userId: number) => ({ publicId: id, ownerKey: `user:${userId}`, userId });
      for (const id of ["J1", "J2", "J3"]) ledger.reserve({ ...j(id, u), kind: "master" });
      ledger.refund({ ...j("J3", u), kind: "master", cost: 1 }, "failed");
      ledger.reserve({ ...j("J4", v), kind: "master" });
      const a = order(u, { amountMinor: 999_99 });
      const c = order(v, { amountMinor: 500_00, planKey: "tokens_5", tokens: 5 });
      order(v, { provider: "stars", currency: "XTR", amountMinor: 600 });
      s.credit(a, "p-a");
      s.credit(c, "p-c");
      s.applyRefund({
        id: "r",
        payment_id: "p-a",
        status: "succeeded",
        amount: { value: "100.00", currency: "RUB" },
      });
      s.applyRefund({
        id: "r2",
        payment_id: "p-c",
        status: "succeeded",
        amount: { value: "500.00", currency: "RUB" },
      });
      const an = db.stores.analytics;
      expect(an.topSpenders(0, 10)).toEqual([
        { userId: u, spent: 2, charged: 3, refunded: 1, jobs: 3 },
        { userId: v, spent: 1, charged: 1, refunded: 0, jobs: 1 },
      ]);
      expect(an.topSpenders(0, 1)).toHaveLength(1);
      expect(an.topSpenders(T0 * 10, 10)).toEqual([]);
      const all = an.paymentStats(null);
      expect(all.paid).toEqual([
        {
          currency: "RUB",
          count: 2,
          amountMinor: 1499_99,
          averageMinor: 75000,
          refundedCount: 1,
          refundedMinor: 600_00,
        },
      ]);
      expect(all.byStatus).toEqual([
        { provider: "stars", status: "pending", currency: "XTR", count: 1, amountMinor: 600 },
        { provider: "yookassa", status: "refunded", currency: "RUB", count: 1, amountMinor: 500_00 },
        { provider: "yookassa", status: "succeeded", currency: "RUB", count: 1, amountMinor: 999_99 },
      ]);
      expect(all.byPlan).toEqual([
        { plan: "tokens_10", currency: "RUB", count: 1, amountMinor: 999_99 },
        { plan: "tokens_5", currency: "RUB", count: 1, amountMinor: 500_00 },
      ]);
      expect(all.credits).toEqual([
        { reason: "admin_credit", rows: 2, tokens: 10, users: 2 },
        { reason: "payment", rows: 2, tokens: 15, users: 2 },
      ]);
      const later = an.paymentStats(clock + 1);
      expect([later.since, later.paid, later.byStatus, later.byPlan]).toEqual([clock + 1, [], [], []]);
    });
  });
}
