// The scheduler itself: overlap protection, one event per start/finish/failure, "off", bounded stop.
import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { createScheduler, nextRunOf, type Task } from "../../../src/scheduler";
import { waitFor } from "../../fixtures/wait";
import { makeEnv } from "./helpers";

/** A task that waits for the test to release it, so overlap and shutdown can be observed. */
function gatedTask(name = "slow", schedule = "off") {
  let release = () => {};
  let runs = 0;
  const task: Task = {
    name,
    schedule: () => schedule,
    run: () => {
      runs++;
      return new Promise((resolve) => {
        release = () => resolve({ items: 3 });
      });
    },
  };
  return { task, release: () => release(), runs: () => runs };
}

describe("createScheduler", () => {
  it("runs a task once by name and logs cron_started / cron_finished with duration and counts", async () => {
    const e = makeEnv();
    const s = createScheduler(e.deps());
    expect(s.tasks.map((t) => t.name)).toEqual([
      "backup",
      "cleanup",
      "sweep",
      "alerts",
      "stats",
      "subscriptions",
      "reconcile",
      "auth_sweep",
    ]);
    const counts = await s.runOnce("sweep");
    expect(counts).toEqual({ requeued: 0, failed: 0 });
    const started = e.lines.find((l) => l.event === "cron_started");
    const finished = e.lines.find((l) => l.event === "cron_finished");
    expect(started).toMatchObject({ task: "sweep", trigger: "manual" });
    expect(finished).toMatchObject({ task: "sweep", requeued: 0, failed: 0 });
    expect(typeof finished?.duration_ms).toBe("number");
  });

  it("refuses a second run of the same task while the first is going (overlap protection)", async () => {
    const e = makeEnv();
    const g = gatedTask();
    const s = createScheduler({ ...e.deps(), tasks: [g.task] });
    const first = s.runOnce("slow");
    await expect(s.runOnce("slow")).rejects.toMatchObject({ code: "task_busy" });
    g.release();
    expect(await first).toEqual({ items: 3 });
    expect(g.runs()).toBe(1);
    // Free again afterwards.
    const again = s.runOnce("slow");
    g.release();
    expect(await again).toEqual({ items: 3 });
  });

  it("logs cron_failed and rethrows when a task throws; unknown names are refused", async () => {
    const e = makeEnv();
    const boom: Task = {
      name: "boom",
      schedule: () => "off",
      run: async () => Promise.reject(new Error("kaput")),
    };
    const s = createScheduler({ ...e.deps(), tasks: [boom] });
    await expect(s.runOnce("boom")).rejects.toThrow("kaput");
    expect(e.lines.find((l) => l.event === "cron_failed")).toMatchObject({
      task: "boom",
      err: { message: "kaput" },
    });
    await expect(s.runOnce("nope")).rejects.toMatchObject({ code: "unknown_task" });
  });

  it("skips tasks whose schedule is off and rejects an invalid expression at start", () => {
    const e = makeEnv({
      MM_CRON_BACKUP: "off",
      MM_CRON_CLEANUP: "off",
      MM_CRON_SWEEP: "off",
      MM_CRON_ALERTS: "off",
      MM_CRON_STATS: "off",
    });
    const s = createScheduler(e.deps());
    s.start();
    expect(e.lines.filter((l) => l.event === "cron_disabled")).toHaveLength(5);
    const bad = createScheduler({ ...e.deps(), config: { ...e.config, MM_CRON_STATS: "61 * * * *" } });
    expect(() => bad.start()).toThrow(/MM_CRON_STATS: invalid cron expression/);
  });

  it("fires on its schedule and does not start a second run while one is going", async () => {
    const e = makeEnv();
    const g = gatedTask("every_second", "* * * * * *");
    // A second every-second task that finishes at once: its runs count the ticks that have passed.
    let ticks = 0;
    const clock: Task = {
      name: "clock",
      schedule: () => "* * * * * *",
      run: async () => {
        ticks++;
        return {};
      },
    };
    const s = createScheduler({ ...e.deps(), tasks: [g.task, clock] });
    s.start();
    try {
      await waitFor(() => g.runs() === 1, { what: "the first scheduled run" });
      // Three more ticks of the same schedule have fired while the first run is still going.
      const at = ticks;
      await waitFor(() => ticks >= at + 3, { what: "three more ticks", timeoutMs: 60_000 });
      expect(g.runs()).toBe(1);
    } finally {
      g.release();
      await s.stop(10_000);
    }
    expect(e.lines.find((l) => l.event === "cron_started")).toMatchObject({ trigger: "schedule" });
  });

  it("stop waits for a running task, but only up to the grace period", async () => {
    const e = makeEnv();
    const g = gatedTask();
    const s = createScheduler({ ...e.deps(), tasks: [g.task] });
    const run = s.runOnce("slow");
    let stopped = false;
    const stopping = s.stop(60_000).then(() => {
      stopped = true;
    });
    // stop() has seen the running task and is waiting for it; the task is still gated, so it cannot be done.
    await waitFor(() => e.lines.some((l) => l.event === "cron_waiting"), { what: "cron_waiting" });
    expect(stopped).toBe(false);
    g.release();
    await stopping;
    expect(await run).toEqual({ items: 3 });
    const events = e.lines.map((l) => l.event);
    expect(events.indexOf("cron_finished")).toBeGreaterThan(events.indexOf("cron_waiting"));
    expect(events).not.toContain("cron_stop_timeout");

    // A task that never ends: stop gives up after the grace period and says which task it left running.
    // (How close to the grace period it returns is a figure: bench/scheduler-stop.ts.)
    const e2 = makeEnv();
    const g2 = gatedTask();
    const s2 = createScheduler({ ...e2.deps(), tasks: [g2.task] });
    void s2.runOnce("slow");
    const t1 = performance.now();
    await s2.stop(150);
    // A lower bound set by the grace timer itself: a slow machine only makes it longer.
    expect(performance.now() - t1).toBeGreaterThanOrEqual(140);
    expect(e2.lines.find((l) => l.event === "cron_stop_timeout")).toMatchObject({ tasks: ["slow"] });
    expect(g2.runs()).toBe(1);
    g2.release();
  });
});

describe("nextRunOf", () => {
  it("computes the next run in UTC from a given clock, and null for off", () => {
    const from = new Date("2026-11-23T12:00:00Z");
    const c = loadConfig({});
    expect(nextRunOf(c.MM_CRON_BACKUP, from)?.toISOString()).toBe("2026-11-24T03:00:00.000Z");
    expect(nextRunOf(c.MM_CRON_CLEANUP, from)?.toISOString()).toBe("2026-11-23T12:15:00.000Z");
    expect(nextRunOf(c.MM_CRON_STATS, from)?.toISOString()).toBe("2026-11-24T00:05:00.000Z");
    expect(nextRunOf("off", from)).toBeNull();
  });
});
