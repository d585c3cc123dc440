// enqueueAll of the JobStore suite (store-suite.ts): a set of jobs (a batch, an album) enters in one
// transaction — every row at the turn it would have had enqueued one after another, each charged inside
// the transaction — or none of it: a set over the queued cap is refused whole, and a throw from a charge
// or an insert halfway leaves no row of the set.

import { describe, expect, it } from "bun:test";
import type { NewJobRow } from "../../../src/jobs/store";
import type { SuiteContext } from "./store-suite";

export function jobStoreSuiteEnqueueAll({ t, add, claimAll }: SuiteContext): void {
  let seq = 1000;
  const row = (publicId: string, ownerKey: string): NewJobRow => ({
    publicId,
    accessToken: "t",
    ownerKey,
    source: "api",
    batchId: "b1",
    createdAt: ++seq,
  });
  const rowsOf = (ids: string[], owner = "ip:a") => ids.map((id) => row(id, owner));
  const present = (ids: string[]) => ids.filter((id) => t().store.findByPublicId(id) !== undefined);

  describe("enqueueAll", () => {
    it("queues the whole set in order, charges each row once, and keeps the turns of one-by-one enqueues", () => {
      const charged: number[] = [];
      const got = t().store.enqueueAll(rowsOf(["A1", "A2", "A3"]), 10, (i) => {
        charged.push(i);
        return i + 1;
      });
      expect(got?.map((r) => [r.publicId, r.status, r.cost])).toEqual([
        ["A1", "queued", 1],
        ["A2", "queued", 2],
        ["A3", "queued", 3],
      ]);
      expect(charged).toEqual([0, 1, 2]);
      expect(
        t()
          .store.listByBatch("b1")
          .map((r) => r.publicId),
      ).toEqual(["A1", "A2", "A3"]);
      // A newcomer after the set still gets the second turn, as after three single enqueues.
      add("B1", "ip:b");
      expect(claimAll()).toEqual(["A1", "B1", "A2", "A3"]);
    });

    it("refuses a set larger than the owner's room in the queue whole: no row, no charge", () => {
      add("A0", "ip:a");
      let charges = 0;
      const charge = () => ++charges;
      expect(t().store.enqueueAll(rowsOf(["A1", "A2", "A3"]), 3, charge)).toBeUndefined();
      expect(present(["A1", "A2", "A3"])).toEqual([]);
      expect(charges).toBe(0);
      expect(t().store.countQueuedOfOwner("ip:a")).toBe(1);
      // The room counts per owner: another owner's set of 3 fits the same cap.
      expect(t().store.enqueueAll(rowsOf(["B1", "B2", "B3"], "ip:b"), 3, charge)).toHaveLength(3);
      // Exactly the room left fits.
      expect(t().store.enqueueAll(rowsOf(["A1", "A2"]), 3, charge)).toHaveLength(2);
    });

    it("writes no row of the set when the second insert fails (a public id collision)", () => {
      add("TAKEN", "ip:z");
      let charges = 0;
      expect(() =>
        t().store.enqueueAll(
          [row("N1", "ip:a"), row("TAKEN", "ip:a"), row("N3", "ip:a")],
          10,
          () => ++charges,
        ),
      ).toThrow();
      expect(present(["N1", "N3"])).toEqual([]);
      expect(t().store.countQueuedOfOwner("ip:a")).toBe(0);
      expect(t().store.listByBatch("b1")).toEqual([]);
      // The charges of the rows before the failure ran; their writes (the ledger's) roll back with the rows.
      expect(charges).toBe(2);
    });

    it("writes no row of the set when the second charge is refused", () => {
      const refuse = (i: number) => {
        if (i === 1) throw new Error("insufficient_tokens");
        return 1;
      };
      expect(() => t().store.enqueueAll(rowsOf(["A1", "A2", "A3"]), 10, refuse)).toThrow(
        "insufficient_tokens",
      );
      expect(present(["A1", "A2", "A3"])).toEqual([]);
      // The store works on afterwards (the transaction was ended, not left open).
      expect(add("A4", "ip:a")?.publicId).toBe("A4");
    });

    it("queues nothing for an empty set", () => {
      expect(t().store.enqueueAll([], 10)).toEqual([]);
      expect(claimAll()).toEqual([]);
    });
  });
}
