// The stats_daily store on both backends, through createDailyStats({ backend }): a written day reads back
// field for field (money maps, a null mean), re-writing replaces the row, isFolded tells a row written
// after its day ended, recent answers today live then the stored days newest first.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createDailyStats, createStatsStore, DAY_MS, type DailyStats } from "../../../src/ops";
import { type TestDb, testBackends } from "../../fixtures/backends";

const DAY0 = Date.UTC(2026, 10, 20);
/** The figures the day's sources report: jobs done grows with the day, money only on the 21st. */
const figures = (start: number) => {
  const d = new Date(start).getUTCDate();
  const none: Record<string, number> = {};
  return {
    jobs: {
      done: d,
      failed: 1,
      cancelled: 0,
      audioS: 90,
      meanRealtimeFactor: d === 22 ? null : 12.3456,
      activeKeys: ["u1", "ip:x"],
    },
    users: { created: 2, seenIds: [1, 5] },
    pay: {
      created: d === 21 ? 3 : 0,
      paid: d === 21 ? 2 : 0,
      revenueMinor: d === 21 ? { RUB: 150000, XTR: 6000 } : none,
      refundsMinor: d === 21 ? { RUB: 50000 } : none,
    },
  };
};

for (const b of testBackends("the daily stats store suite"))
  describe.skipIf(b.skip ?? false)(`daily stats on ${b.name}`, () => {
    let db: TestDb;
    let stats: DailyStats;
    beforeEach(() => {
      db = b.open();
      stats = createDailyStats({
        backend: db.backend,
        jobs: { daySummary: (start) => figures(start).jobs },
        users: { usersOfDay: (start) => figures(start).users },
        payments: { daySummary: (start) => figures(start).pay },
      });
    });
    afterEach(() => db.close());

    it("a written day reads back field for field, money maps and a null mean included", () => {
      const s = stats.write("2026-11-21", DAY0 + 2 * DAY_MS);
      const row = createStatsStore(db.backend).find("2026-11-21");
      expect(row).toEqual({ date: "2026-11-21", ...s, updatedAt: DAY0 + 2 * DAY_MS });
      expect(row).toMatchObject({
        jobsDone: 21,
        usersActive: 3,
        audioMinutes: 1.5,
        meanRealtimeFactor: 12.346,
        revenueMinor: { RUB: 150000, XTR: 6000 },
        refundsMinor: { RUB: 50000 },
      });
      stats.write("2026-11-22", DAY0 + 3 * DAY_MS);
      expect(createStatsStore(db.backend).find("2026-11-22")).toMatchObject({
        meanRealtimeFactor: null,
        revenueMinor: {},
      });
      expect(createStatsStore(db.backend).find("2026-11-23")).toBeUndefined();
      // Stored as JSON objects (Postgres: jsonb objects, not strings holding JSON), so SQL can read them.
      const sql =
        b.name === "Postgres"
          ? "SELECT revenue_minor->>'RUB' AS rub FROM stats_daily WHERE date = '2026-11-21'"
          : "SELECT json_extract(revenue_minor, '$.RUB') AS rub FROM stats_daily WHERE date = '2026-11-21'";
      expect(db.all<{ rub: unknown }>(sql).map((r) => Number(r.rub))).toEqual([150000]);
    });

    it("re-writing a day replaces its row; isFolded only once written after the day ended", () => {
      stats.write("2026-11-21", DAY0 + DAY_MS + 1000);
      expect(stats.isFolded("2026-11-21")).toBe(false);
      stats.write("2026-11-21", DAY0 + 2 * DAY_MS);
      expect(stats.isFolded("2026-11-21")).toBe(true);
      expect(stats.isFolded("2026-11-19")).toBe(false);
      expect(db.all<{ n: number }>("SELECT count(*) AS n FROM stats_daily")).toEqual([{ n: 1 }]);
    });

    it("recent: today live, then the stored days of the window newest first (older ones left out)", () => {
      for (const d of ["2026-11-10", "2026-11-20", "2026-11-21", "2026-11-22"])
        stats.write(d, Date.parse(`${d}T00:00:00Z`) + DAY_MS);
      const now = Date.UTC(2026, 10, 23, 15);
      const rows = stats.recent(4, now);
      expect(rows.map((r) => [r.date, r.live, r.jobsDone])).toEqual([
        ["2026-11-23", true, 23],
        ["2026-11-22", false, 22],
        ["2026-11-21", false, 21],
        ["2026-11-20", false, 20],
      ]);
      expect(rows[2]).not.toHaveProperty("updatedAt");
      expect(rows[2]?.revenueMinor).toEqual({ RUB: 150000, XTR: 6000 });
    });
  });
