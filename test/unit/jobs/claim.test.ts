// The SQLite JobStore's claim directly on a real SQLite file: priority then oldest (id breaks created_at ties), the
// per-owner running limit, stepping down a priority level when every owner at the top one is at its limit.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations, schema } from "../../../src/db";
import type { JobStore } from "../../../src/jobs";
import { CLAIM_SQL, createSqliteJobStore } from "../../../src/jobs/sqlite";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir: string;
let h: DbHandle;
let store: JobStore;
beforeEach(async () => {
  dir = await tempDir("mm-claim-");
  h = openDb(join(dir, "q.db"));
  runMigrations(h);
  store = createSqliteJobStore(h);
});
afterEach(async () => {
  h.sqlite.close();
  await cleanup(dir);
});

const add = (publicId: string, ownerKey: string, priority: number, createdAt: number) =>
  h.db
    .insert(schema.jobs)
    .values({ publicId, accessToken: "t", ownerKey, source: "api", priority, createdAt })
    .run();
const claimAll = (max: number) => {
  const out: string[] = [];
  for (let r = store.claimNext("w", max, 1); r; r = store.claimNext("w", max, 1)) out.push(r.publicId);
  return out;
};

describe("JobStore.claimNext (SQLite)", () => {
  it("takes the highest priority, then the oldest, then the lowest id", () => {
    add("low-old", "a", 0, 1);
    add("high-new", "b", 5, 9);
    add("high-old-2", "c", 5, 3);
    add("high-old-1", "d", 5, 3);
    add("mid", "e", 2, 0);
    expect(claimAll(10)).toEqual(["high-old-2", "high-old-1", "high-new", "mid", "low-old"]);
    const row = h.db.select().from(schema.jobs).all()[0];
    expect(row).toMatchObject({
      status: "running",
      workerId: "w",
      startedAt: 1,
      heartbeatAt: 1,
      attempts: 1,
    });
  });

  it("skips owners at the limit, stepping down priority levels, and stops when nothing is runnable", () => {
    add("a-hi-1", "a", 9, 1);
    add("a-hi-2", "a", 9, 2);
    add("a-mid", "a", 5, 0);
    add("b-low", "b", 1, 5);
    add("a-low", "a", 1, 0);
    // Limit 1: a runs a-hi-1; every other top/middle row is a's, so b's low-priority row is next.
    expect(claimAll(1)).toEqual(["a-hi-1", "b-low"]);
    h.sqlite.run("UPDATE jobs SET status = 'done' WHERE public_id = 'a-hi-1'");
    expect(claimAll(1)).toEqual(["a-hi-2"]);
  });

  it("walks jobs_claim_idx in order (no sort, no owner index)", () => {
    const plan = h.sqlite
      .prepare<{ detail: string }, [string, number, number, number]>(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`)
      .all("w", 1, 1, 1)
      .map((r) => r.detail);
    expect(plan.join("\n")).not.toContain("TEMP B-TREE");
    expect(plan.join("\n")).not.toContain("jobs_owner_idx");
    expect(plan.filter((d) => d.includes("jobs_claim_idx"))).toHaveLength(3);
  });
});
