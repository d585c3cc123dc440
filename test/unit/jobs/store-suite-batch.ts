// The batch claim of the JobStore suite (store-suite.ts): a node claims its free slots in one call, in the
// order claimNext would take them one by one, with the running cap counting the batch itself.

import { describe, expect, it } from "bun:test";
import type { SuiteContext } from "./store-suite";

export function jobStoreSuiteBatch({ t, add, claimAll }: SuiteContext): void {
  const batch = (limit: number, maxRunning = 10, workerId = "w", now = 7) =>
    t()
      .store.claimBatch(workerId, maxRunning, now, limit)
      .map((r) => r.publicId);
  const finish = (publicId: string) => t().patch(publicId, { status: "done" });

  describe("batch claim", () => {
    it("takes the jobs in the order claimNext takes them, several at a time", () => {
      for (let i = 1; i <= 5; i++) add(`A${i}`, "ip:a");
      for (let i = 1; i <= 3; i++) add(`B${i}`, "ip:b");
      const got: string[] = [];
      for (let ids = batch(3); ids.length > 0; ids = batch(3)) {
        expect(ids.length).toBeLessThanOrEqual(3);
        got.push(...ids);
      }
      expect(got).toEqual(["A1", "B1", "A2", "B2", "A3", "B3", "A4", "A5"]);
      expect(claimAll()).toEqual([]);
    });

    it("marks each claimed row running for the worker, one attempt, started now", () => {
      add("A1", "ip:a");
      add("B1", "ip:b");
      expect(batch(5, 10, "node-1", 42)).toEqual(["A1", "B1"]);
      for (const id of ["A1", "B1"])
        expect(t().store.findByPublicId(id)).toMatchObject({
          status: "running",
          workerId: "node-1",
          attempts: 1,
          startedAt: 42,
          heartbeatAt: 42,
        });
    });

    it("counts the jobs of its own batch against an owner's running cap", () => {
      for (const id of ["A1", "A2", "A3"]) add(id, "ip:a");
      for (const id of ["B1", "B2"]) add(id, "ip:b");
      add("C1", "ip:c");
      expect(batch(5, 1)).toEqual(["A1", "B1", "C1"]);
      expect(batch(5, 1)).toEqual([]);
      finish("A1");
      expect(batch(5, 1)).toEqual(["A2"]);
      // Cap 2: B has one running, so one more of B; A has one running (A2), so one more of A.
      expect(batch(5, 2)).toEqual(["B2", "A3"]);
    });

    it("claims nothing with no free slot or an empty queue", () => {
      expect(batch(4)).toEqual([]);
      add("A1", "ip:a");
      expect(batch(0)).toEqual([]);
      expect(t().store.findByPublicId("A1")?.status).toBe("queued");
    });
  });
}
