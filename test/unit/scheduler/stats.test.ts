// The stats task: one row per UTC date, upserted; yesterday final, today provisional.
import { describe, expect, it } from "bun:test";
import { schema } from "../../../src/db";
import { TASKS } from "../../../src/scheduler";
import { DAY, insertJob, MIN, makeEnv, NOW } from "./helpers";

const stats = TASKS.find((t) => t.name === "stats")!;
const rows = (e: ReturnType<typeof makeEnv>) =>
  e.dbh.db.select().from(schema.statsDaily).orderBy(schema.statsDaily.date).all();

describe("stats task", () => {
  it("writes yesterday and today, counting jobs by the UTC day they finished", async () => {
    const e = makeEnv();
    const today = NOW.getTime();
    insertJob(e.dbh, {
      status: "done",
      kind: "master",
      finishedAt: today - MIN,
      audioDurationS: 180,
      realtimeFactor: 12,
      userId: null,
      ownerKey: "ip:a",
    });
    insertJob(e.dbh, { status: "failed", finishedAt: today - 2 * MIN, ownerKey: "ip:a" });
    insertJob(e.dbh, {
      status: "done",
      kind: "master",
      finishedAt: today - DAY,
      createdAt: today - DAY - MIN,
      audioDurationS: 60,
      realtimeFactor: 6,
      ownerKey: "ip:b",
    });
    insertJob(e.dbh, { status: "running", ownerKey: "ip:c" });
    e.dbh.db
      .insert(schema.users)
      .values({ telegramId: "42", createdAt: today - 3 * MIN, lastSeenAt: today - MIN })
      .run();

    expect(await stats.run(e.deps())).toMatchObject({
      days_written: 2,
      date: "2026-11-23",
      jobs_done_today: 1,
    });
    const [yesterday, todayRow] = rows(e);
    expect(yesterday).toMatchObject({
      date: "2026-11-22",
      jobsDone: 1,
      jobsFailed: 0,
      audioMinutes: 1,
      meanRealtimeFactor: 6,
      usersActive: 1,
    });
    // Active today: ip:a (two jobs), ip:c (running) and the Telegram user seen today; counted once each.
    expect(todayRow).toMatchObject({
      date: "2026-11-23",
      jobsDone: 1,
      jobsFailed: 1,
      jobsCancelled: 0,
      usersNew: 1,
      usersActive: 3,
      audioMinutes: 3,
      meanRealtimeFactor: 12,
    });
  });

  it("keeps one row per date: running twice updates instead of inserting", async () => {
    const e = makeEnv();
    await stats.run(e.deps());
    insertJob(e.dbh, { status: "done", finishedAt: NOW.getTime() - MIN });
    await stats.run(e.deps());
    const all = rows(e);
    expect(all.map((r) => r.date)).toEqual(["2026-11-22", "2026-11-23"]);
    expect(all[1]?.jobsDone).toBe(1);
    const dupes = e.dbh.sqlite
      .query("SELECT date, count(*) AS n FROM stats_daily GROUP BY date HAVING count(*) > 1")
      .all();
    expect(dupes).toEqual([]);
  });

  it("leaves older stored days alone (their job rows may already be deleted)", async () => {
    const e = makeEnv();
    e.dbh.db
      .insert(schema.statsDaily)
      .values({ date: "2026-10-01", jobsDone: 7, updatedAt: Date.parse("2026-10-02T00:05:00Z") })
      .run();
    await stats.run(e.deps());
    expect(rows(e)[0]).toMatchObject({ date: "2026-10-01", jobsDone: 7 });
  });
});
