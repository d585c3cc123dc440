// The sweep task re-queues a running job whose heartbeat went stale, through the job service's rules.
import { describe, expect, it } from "bun:test";
import { eq } from "drizzle-orm";
import { schema } from "../../../src/db";
import { TASKS } from "../../../src/scheduler";
import { insertJob, makeEnv, NOW } from "./helpers";

const sweep = TASKS.find((t) => t.name === "sweep")!;

describe("sweep task", () => {
  it("re-queues stale running jobs and leaves fresh ones alone", async () => {
    const e = makeEnv({ MM_HEARTBEAT_STALE_S: "120" });
    const stale = insertJob(e.dbh, {
      status: "running",
      attempts: 1,
      workerId: "dead@host",
      heartbeatAt: NOW.getTime() - 300_000,
    });
    const fresh = insertJob(e.dbh, {
      status: "running",
      attempts: 1,
      workerId: "live@host",
      heartbeatAt: NOW.getTime() - 10_000,
    });
    expect(await sweep.run(e.deps())).toEqual({ requeued: 1, failed: 0 });
    const status = (id: number) =>
      e.dbh.db.select().from(schema.jobs).where(eq(schema.jobs.id, id)).get()?.status;
    expect(status(stale.id)).toBe("queued");
    expect(status(fresh.id)).toBe("running");
  });
});
