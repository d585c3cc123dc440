// Payments in the daily stats row, admin stats and metrics, on a real SQLite file with billing's own order
// store, ledger and settlement under a test clock: orders created and paid per UTC day, money paid and
// refunded per currency (a partial refund counted on the day it was made), the stored row read back, and
// the all-time figures — revenue still paid (partial refunds off), money paid and refunded only growing —
// rendered as JSON and as Prometheus text a real parser reads.
import { afterAll, describe, expect, it } from "bun:test";
import { randomUUID } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { createAccounts, createSqliteAccountStores } from "../../../src/accounts";
import { createSettlement, createSqliteLedger, createSqliteOrderStore, noCost } from "../../../src/billing";
import { schema } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { buildMetrics, createDailyStats, paymentFigures, toPrometheus } from "../../../src/ops";
import type { Health } from "../../../src/ops/health";
import { ledgerWorld } from "../billing/fixture";

const w = ledgerWorld();
afterAll(() => w.close());

const DAY1 = Date.UTC(2026, 10, 20, 10);
const DAY2 = Date.UTC(2026, 10, 21, 9);
let clock = DAY1;
const orders = createSqliteOrderStore(w.dbh);
const ledger = createSqliteLedger(w.dbh, noCost);
const settle = createSettlement({ orders, ledger, log: silentLogger, now: () => clock });
const stats = createDailyStats({
  backend: { kind: "sqlite", dbh: w.dbh },
  jobs: {
    daySummary: () => ({
      done: 0,
      failed: 0,
      cancelled: 0,
      audioS: 0,
      meanRealtimeFactor: null,
      activeKeys: [],
    }),
  },
  users: createAccounts({
    stores: createSqliteAccountStores(w.dbh),
    log: silentLogger,
    jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
  }),
  payments: orders,
});
const buyer = w.user(777);

function order(amountMinor: number, currency: string, provider: string) {
  return orders.insert({
    id: randomUUID(),
    userId: buyer,
    planKey: "tokens_10",
    kind: "tokens",
    tier: null,
    periodDays: 0,
    tokens: 10,
    amountMinor,
    currency,
    provider,
    createdAt: clock,
    updatedAt: clock,
  });
}

describe("payments in the daily stats", () => {
  it("counts orders and money by the UTC day they were created, paid and refunded", () => {
    const rub = order(1000_00, "RUB", "yookassa");
    const xtr = order(600_00, "XTR", "stars");
    order(500_00, "RUB", "yookassa"); // stays pending
    expect(settle.credit(rub, "pay-rub-1")).toBe("credited");
    expect(settle.credit(xtr, "charge-1")).toBe("credited");
    expect(settle.credit(rub, "pay-rub-1")).toBe("duplicate");

    clock = DAY2;
    const second = order(500_00, "RUB", "yookassa");
    settle.credit(second, "pay-rub-2");
    const refund = { id: "rf-1", payment_id: "pay-rub-1", status: "succeeded" as const };
    expect(settle.applyRefund({ ...refund, amount: { value: "250.00", currency: "RUB" } })).toBe(
      "partial_refund",
    );

    const day1 = stats.compute("2026-11-20");
    expect(day1).toMatchObject({
      ordersCreated: 3,
      ordersPaid: 2,
      revenueMinor: { RUB: 1000_00, XTR: 600_00 },
      refundsMinor: {},
    });
    expect(stats.compute("2026-11-21")).toMatchObject({
      ordersCreated: 1,
      ordersPaid: 1,
      revenueMinor: { RUB: 500_00 },
      refundsMinor: { RUB: 250_00 },
    });

    // Stored and read back as the same figures (the JSON columns round-trip).
    stats.write("2026-11-20", DAY2);
    const stored = w.dbh.db.select().from(schema.statsDaily).all();
    expect(stored[0]).toMatchObject({ date: "2026-11-20", ordersPaid: 2, revenueMinor: day1.revenueMinor });
    const recent = stats.recent(3, DAY2);
    expect(recent.map((r) => [r.date, r.live, r.ordersPaid])).toEqual([
      ["2026-11-21", true, 1],
      ["2026-11-20", false, 2],
    ]);
  });

  it("all time: revenue still paid, money paid and refunded; JSON and Prometheus agree", () => {
    const c = orders.counts();
    expect(c.revenueMinor).toEqual({ RUB: 1250_00, XTR: 600_00 });
    expect(c.paidMinor).toEqual({ RUB: 1500_00, XTR: 600_00 });
    expect(c.refundedMinor).toEqual({ RUB: 250_00 });
    expect(paymentFigures(c)).toMatchObject({
      revenue: { RUB: 1250, XTR: 600 },
      paid: { RUB: 1500, XTR: 600 },
      refunds: { RUB: 250 },
    });

    const health = {
      status: "ok",
      version: "t",
      uptime_s: 1,
      disk: { free_mb: 1 },
      jobs: { running: 0, queued: 0, total_cached: 0 },
      jobs_by_status: {},
    } as unknown as Health;
    const families = parsePrometheusTextFormat(
      toPrometheus(buildMetrics(health, { requests: 0, errors4xx: 0, errors5xx: 0 }, c)),
    );
    const sample = (name: string, currency: string) =>
      families.find((f) => f.name === name)?.metrics.find((m) => m.labels?.currency === currency)?.value;
    expect(families.find((f) => f.name === "magic_master_revenue_total")?.type).toBe("COUNTER");
    expect(sample("magic_master_revenue_total", "RUB")).toBe("1500");
    expect(sample("magic_master_refunds_total", "RUB")).toBe("250");
    expect(sample("magic_master_revenue_total", "XTR")).toBe("600");
  });
});
