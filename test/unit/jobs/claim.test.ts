// The SQLite JobStore's fair queue on a real SQLite file: rows enter through enqueue (as submit does) and
// leave through claimNext. Owners take turns; priority is a bounded boost; running and queued caps hold;
// the claim walks an index in order; the queue position is the claim order.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import type { JobStore } from "../../../src/jobs";
import { CLAIM_SQL, createSqliteJobStore } from "../../../src/jobs/sqlite";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir: string;
let h: DbHandle;
let store: JobStore;
let seq = 0;
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

const MEASURE = 10;
const add = (publicId: string, ownerKey: string, priority = 0, maxQueued = 1000) =>
  store.enqueue(
    { publicId, accessToken: "t", ownerKey, source: "api", priority, createdAt: ++seq },
    maxQueued,
  );
const claim = (maxRunning = 10) => store.claimNext("w", maxRunning, 1)?.publicId;
const claimAll = (maxRunning = 10) => {
  const out: string[] = [];
  for (let id = claim(maxRunning); id; id = claim(maxRunning)) out.push(id);
  return out;
};
const finish = (publicId: string) =>
  h.sqlite.run("UPDATE jobs SET status = 'done' WHERE public_id = ?", [publicId]);

describe("JobStore fair queue (SQLite)", () => {
  it("claims another owner's master within the first 2 claims, however many measures one owner queued", () => {
    for (let i = 1; i <= 20; i++) add(`A-measure-${i}`, "ip:a", MEASURE);
    add("B-master", "ip:b");
    const first = [claim(), claim()];
    expect(first).toContain("B-master");
    const row = h.sqlite
      .query("SELECT status, worker_id, attempts FROM jobs WHERE public_id = 'B-master'")
      .get();
    expect(row).toEqual({ status: "running", worker_id: "w", attempts: 1 });
  });

  it("alternates two owners, whoever queued first and however many", () => {
    for (let i = 1; i <= 5; i++) add(`A${i}`, "ip:a");
    for (let i = 1; i <= 3; i++) add(`B${i}`, "ip:b");
    expect(claimAll()).toEqual(["A1", "B1", "A2", "B2", "A3", "B3", "A4", "A5"]);
  });

  it("lets a measure go one turn early, no more (priority is a bounded boost)", () => {
    for (let i = 1; i <= 4; i++) add(`A${i}`, "ip:a");
    for (let i = 1; i <= 3; i++) add(`Bm${i}`, "ip:b", MEASURE);
    expect(claimAll()).toEqual(["Bm1", "A1", "Bm2", "A2", "Bm3", "A3", "A4"]);
  });

  it("never starves low priority: a stream of another owner's measures lets a master through", () => {
    add("A-master", "ip:a");
    let claimsBeforeA = 0;
    for (let i = 1; i <= 10; i++) {
      add(`B-measure-${i}`, "ip:b", MEASURE);
      const id = claim();
      if (id === "A-master") break;
      claimsBeforeA++;
      if (id) finish(id);
    }
    expect(claimsBeforeA).toBeLessThanOrEqual(1);
  });

  it("skips owners at the running limit and claims them again when one of theirs ends", () => {
    add("A1", "ip:a");
    add("A2", "ip:a");
    add("A3", "ip:a");
    add("B1", "ip:b");
    expect(claimAll(1)).toEqual(["A1", "B1"]);
    finish("A1");
    expect(claimAll(1)).toEqual(["A2"]);
  });

  it("refuses a job past the owner's queued cap, writing nothing, and takes one again once a job starts", () => {
    expect(add("A1", "ip:a", 0, 2)?.publicId).toBe("A1");
    expect(add("A2", "ip:a", 0, 2)?.publicId).toBe("A2");
    expect(add("A3", "ip:a", 0, 2)).toBeUndefined();
    expect(store.findByPublicId("A3")).toBeUndefined();
    expect(add("B1", "ip:b", 0, 2)?.publicId).toBe("B1");
    expect(store.countQueuedOfOwner("ip:a")).toBe(2);
    claim();
    expect(add("A3", "ip:a", 0, 2)?.publicId).toBe("A3");
  });

  it("gives each queued job the place it is then claimed at", () => {
    for (let i = 1; i <= 3; i++) add(`A${i}`, "ip:a");
    add("Bm", "ip:b", MEASURE);
    add("C1", "ip:c");
    const places = new Map<string, number>();
    for (const id of ["A1", "A2", "A3", "Bm", "C1"]) {
      const row = store.findByPublicId(id);
      if (row) places.set(id, store.queuePosition(row));
    }
    const order = claimAll();
    expect(order.map((id) => places.get(id))).toEqual([1, 2, 3, 4, 5]);
  });

  it("walks jobs_fair_idx in order (no sort, no owner index, no scan)", () => {
    const plan = h.sqlite
      .prepare<{ detail: string }, [string, number, number]>(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`)
      .all("w", 1, 1)
      .map((r) => r.detail)
      .join("\n");
    expect(plan).not.toContain("TEMP B-TREE");
    expect(plan).toContain("SEARCH q USING INDEX jobs_fair_idx (status=?)");
    expect(plan).toContain("SEARCH r USING INDEX jobs_fair_idx (status=?)");
    expect(plan).not.toContain("jobs_owner_idx");
    expect(plan).not.toContain("SCAN");
  });
});
