// The JobStore contract as one suite a backend runs (stores.test.ts runs it on SQLite and Postgres), each test on
// a fresh database: the fair queue (owners take turns, priority a bounded boost, running and queued caps,
// the queue position is the claim order), enqueue's charge inside the insert's transaction, enqueueAll's
// set all or nothing, transitions guarded by the state they leave, recovery, expiry, and the reads. Rows
// enter through enqueue as submit does; `patch` sets columns directly only to stage states that would
// otherwise need a worker.

import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { isUniqueViolation } from "../../../src/db";
import type { JobStore, NewJobRow } from "../../../src/jobs/store";
import { jobStoreSuiteAlbum } from "./store-suite-album";
import { jobStoreSuiteBatch } from "./store-suite-batch";
import { jobStoreSuiteDelivery } from "./store-suite-delivery";
import { jobStoreSuiteEnqueueAll } from "./store-suite-enqueue-all";
import { jobStoreSuiteMore } from "./store-suite-more";

export type StoreUnderTest = {
  store: JobStore;
  /** Sets columns (SQL names) of one job directly: staging only. */
  patch(publicId: string, columns: Record<string, string | number | null>): void;
  /** Inserts a user row (jobs.user_id references users). */
  addUser(id: number): void;
  close(): void | Promise<void>;
};

export type Backend = { name: string; skip?: boolean; open(): StoreUnderTest | Promise<StoreUnderTest> };

export type SuiteContext = {
  t: () => StoreUnderTest;
  add: (
    publicId: string,
    ownerKey: string,
    o?: Partial<NewJobRow> & { maxQueued?: number },
  ) => ReturnType<JobStore["enqueue"]>;
  claim: (maxRunning?: number, workerId?: string) => string | undefined;
  claimAll: (maxRunning?: number) => string[];
};

const MEASURE = 10;

export function jobStoreSuite(backend: Backend): void {
  describe.skipIf(backend.skip === true)(`JobStore (${backend.name})`, () => {
    let current: StoreUnderTest | null = null;
    let seq = 0;
    beforeEach(async () => {
      current = await backend.open();
      seq = 0;
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });
    const t = () => {
      if (!current) throw new Error("no store open");
      return current;
    };
    const add: SuiteContext["add"] = (publicId, ownerKey, o = {}) => {
      const { maxQueued = 1000, ...row } = o;
      return t().store.enqueue(
        { publicId, accessToken: "t", ownerKey, source: "api", createdAt: ++seq, ...row },
        maxQueued,
      );
    };
    const claim = (maxRunning = 10, workerId = "w") => t().store.claimNext(workerId, maxRunning, 1)?.publicId;
    const claimAll = (maxRunning = 10) => {
      const out: string[] = [];
      for (let id = claim(maxRunning); id; id = claim(maxRunning)) out.push(id);
      return out;
    };
    const finish = (publicId: string) => t().patch(publicId, { status: "done" });

    describe("fair queue", () => {
      it("claims another owner's master within the first 2 claims, however many measures one owner queued", () => {
        for (let i = 1; i <= 20; i++) add(`A-measure-${i}`, "ip:a", { priority: MEASURE });
        add("B-master", "ip:b");
        expect([claim(), claim()]).toContain("B-master");
        expect(t().store.findByPublicId("B-master")).toMatchObject({
          status: "running",
          workerId: "w",
          attempts: 1,
        });
      });

      it("alternates two owners, whoever queued first and however many", () => {
        for (let i = 1; i <= 5; i++) add(`A${i}`, "ip:a");
        for (let i = 1; i <= 3; i++) add(`B${i}`, "ip:b");
        expect(claimAll()).toEqual(["A1", "B1", "A2", "B2", "A3", "B3", "A4", "A5"]);
      });

      it("lets a measure go one turn early, no more (priority is a bounded boost)", () => {
        for (let i = 1; i <= 4; i++) add(`A${i}`, "ip:a");
        for (let i = 1; i <= 3; i++) add(`Bm${i}`, "ip:b", { priority: MEASURE });
        expect(claimAll()).toEqual(["Bm1", "A1", "Bm2", "A2", "Bm3", "A3", "A4"]);
      });

      it("never starves low priority: a stream of another owner's measures lets a master through", () => {
        add("A-master", "ip:a");
        let claimsBeforeA = 0;
        for (let i = 1; i <= 10; i++) {
          add(`B-measure-${i}`, "ip:b", { priority: MEASURE });
          const id = claim();
          if (id === "A-master") break;
          claimsBeforeA++;
          if (id) finish(id);
        }
        expect(claimsBeforeA).toBeLessThanOrEqual(1);
      });

      it("skips owners at the running limit and claims them again when one of theirs ends", () => {
        for (const id of ["A1", "A2", "A3"]) add(id, "ip:a");
        add("B1", "ip:b");
        expect(claimAll(1)).toEqual(["A1", "B1"]);
        finish("A1");
        expect(claimAll(1)).toEqual(["A2"]);
      });

      it("refuses a job past the owner's queued cap, writing nothing, and takes one again once a job starts", () => {
        expect(add("A1", "ip:a", { maxQueued: 2 })?.publicId).toBe("A1");
        expect(add("A2", "ip:a", { maxQueued: 2 })?.publicId).toBe("A2");
        expect(add("A3", "ip:a", { maxQueued: 2 })).toBeUndefined();
        expect(t().store.findByPublicId("A3")).toBeUndefined();
        expect(add("B1", "ip:b", { maxQueued: 2 })?.publicId).toBe("B1");
        expect(t().store.countQueuedOfOwner("ip:a")).toBe(2);
        claim();
        expect(add("A3", "ip:a", { maxQueued: 2 })?.publicId).toBe("A3");
      });

      it("gives each queued job the place it is then claimed at", () => {
        for (let i = 1; i <= 3; i++) add(`A${i}`, "ip:a");
        add("Bm", "ip:b", { priority: MEASURE });
        add("C1", "ip:c");
        const places = new Map<string, number>();
        for (const id of ["A1", "A2", "A3", "Bm", "C1"]) {
          const row = t().store.findByPublicId(id);
          if (row) places.set(id, t().store.queuePosition(row));
        }
        expect(claimAll().map((id) => places.get(id))).toEqual([1, 2, 3, 4, 5]);
      });

      it("claims nothing from an empty queue and says whether anything waits", () => {
        expect(claim()).toBeUndefined();
        expect(t().store.hasQueued()).toBe(false);
        add("A1", "ip:a");
        expect(t().store.hasQueued()).toBe(true);
      });
    });

    describe("enqueue", () => {
      it("runs the charge inside the insert: its cost is stored; a throwing charge writes nothing", () => {
        const row = t().store.enqueue(
          { publicId: "P1", accessToken: "t", ownerKey: "ip:a", source: "web" },
          10,
          () => 7,
        );
        expect(row).toMatchObject({ publicId: "P1", cost: 7, status: "queued", kind: "master", progress: 0 });
        expect(typeof row?.id).toBe("number");
        expect(typeof row?.createdAt).toBe("number");
        expect(() =>
          t().store.enqueue({ publicId: "P2", accessToken: "t", ownerKey: "ip:a", source: "web" }, 10, () => {
            throw new Error("insufficient");
          }),
        ).toThrow("insufficient");
        expect(t().store.findByPublicId("P2")).toBeUndefined();
      });

      it("does not charge a job the queued cap refuses", () => {
        let charged = 0;
        add("A1", "ip:a", { maxQueued: 1 });
        const refused = t().store.enqueue(
          { publicId: "A2", accessToken: "t", ownerKey: "ip:a", source: "web" },
          1,
          () => ++charged,
        );
        expect(refused).toBeUndefined();
        expect(charged).toBe(0);
      });

      it("throws a unique violation on a public id collision (the caller retries)", () => {
        add("SAME", "ip:a");
        let err: unknown;
        try {
          add("SAME", "ip:b");
        } catch (e) {
          err = e;
        }
        expect(isUniqueViolation(err)).toBe(true);
        expect(t().store.countQueued()).toBe(1);
      });
    });

    jobStoreSuiteMore({ t, add, claim, claimAll });
    jobStoreSuiteBatch({ t, add, claim, claimAll });
    jobStoreSuiteDelivery({ t, add, claim, claimAll });
    jobStoreSuiteEnqueueAll({ t, add, claim, claimAll });
    jobStoreSuiteAlbum({ t, add, claim, claimAll });
  });
}
