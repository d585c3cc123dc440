// The alerts task: once per episode, "recovered" when it clears, episode state survives a restart.
import { describe, expect, it } from "bun:test";
import { eq } from "drizzle-orm";
import { schema } from "../../../src/db";
import { FAILURE_MIN_SAMPLE, TASKS } from "../../../src/scheduler";
import { createSettings } from "../../../src/settings";
import { insertJob, MIN, makeEnv, NOW } from "./helpers";

const alerts = TASKS.find((t) => t.name === "alerts")!;

describe("alerts task", () => {
  it("alerts once when the queue passes MM_ALERT_QUEUE, stays quiet, then sends recovered", async () => {
    const e = makeEnv({ MM_ALERT_QUEUE: "2" });
    const queued = [1, 2, 3].map(() => insertJob(e.dbh, { status: "queued" }));
    expect(await alerts.run(e.deps())).toMatchObject({ fired: 1, recovered: 0, active: 1 });
    await alerts.run(e.deps());
    await alerts.run(e.deps());
    expect(e.notes).toEqual([{ kind: "queue_high", text: "⚠️ Queue is long: 3 jobs waiting (threshold 2)." }]);

    for (const j of queued)
      e.dbh.db.update(schema.jobs).set({ status: "cancelled" }).where(eq(schema.jobs.id, j.id)).run();
    expect(await alerts.run(e.deps())).toMatchObject({ fired: 0, recovered: 1, active: 0 });
    await alerts.run(e.deps());
    expect(e.notes.map((n) => n.kind)).toEqual(["queue_high", "queue_high_recovered"]);
  });

  it("does not re-alert after a restart in the middle of an episode", async () => {
    const e = makeEnv();
    await alerts.run(e.deps({ freeDiskMb: () => 50 }));
    // A new process: fresh settings object, same table.
    const restarted = e.deps({
      freeDiskMb: () => 40,
      settings: createSettings({ kind: "sqlite", dbh: e.dbh }, { cacheMs: 0 }),
    });
    await alerts.run(restarted);
    expect(e.notes.map((n) => n.kind)).toEqual(["disk_low"]);
    expect(e.notes[0]?.text).toContain("50 MB free (threshold 200 MB)");
    await alerts.run(e.deps({ freeDiskMb: () => 5000 }));
    expect(e.notes.map((n) => n.kind)).toEqual(["disk_low", "disk_low_recovered"]);
  });

  it("fires on the failure rate of the last 15 minutes only with enough jobs", async () => {
    const e = makeEnv({ MM_ALERT_FAILURE_RATE: "0.5" });
    const t = NOW.getTime();
    // Too few to judge: every one failed, still no alert.
    for (let i = 0; i < FAILURE_MIN_SAMPLE - 1; i++)
      insertJob(e.dbh, { status: "failed", finishedAt: t - MIN });
    await alerts.run(e.deps());
    expect(e.notes).toEqual([]);
    // Old failures outside the window do not count.
    for (let i = 0; i < 10; i++) insertJob(e.dbh, { status: "failed", finishedAt: t - 20 * MIN });
    await alerts.run(e.deps());
    expect(e.notes).toEqual([]);
    insertJob(e.dbh, { status: "failed", finishedAt: t - MIN });
    insertJob(e.dbh, { status: "done", finishedAt: t - MIN });
    await alerts.run(e.deps());
    expect(e.notes).toEqual([
      { kind: "failure_rate", text: "⚠️ Many failures: 5 of 6 jobs in 15 min (83%, threshold 50%)." },
    ]);
    // Fifteen minutes later the failures fall out of the window.
    await alerts.run(e.deps({ now: () => new Date(t + 16 * MIN) }));
    expect(e.notes.map((n) => n.kind)).toEqual(["failure_rate", "failure_rate_recovered"]);
  });

  it("still turns the episode over when the notifier throws, and logs it", async () => {
    const e = makeEnv();
    const notify = {
      notifyAdmin: () => {
        throw new Error("telegram down");
      },
    };
    expect(await alerts.run(e.deps({ freeDiskMb: () => 1, notify }))).toMatchObject({ fired: 1 });
    expect(await alerts.run(e.deps({ freeDiskMb: () => 1, notify }))).toMatchObject({ fired: 0 });
    expect(e.lines.filter((l) => l.event === "admin_notify_failed")).toHaveLength(1);
    expect(e.lines.find((l) => l.event === "alert_fired")).toMatchObject({
      kind: "disk_low",
      delivered: false,
    });
  });

  it("writes Russian texts when the admin language is ru", async () => {
    const e = makeEnv();
    await alerts.run(e.deps({ freeDiskMb: () => 1, adminLang: "ru" }));
    expect(e.notes[0]?.text).toBe("⚠️ Мало места на диске: свободно 1 МБ (порог 200 МБ).");
  });
});
