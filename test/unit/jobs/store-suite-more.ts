// The second half of the JobStore suite (store-suite.ts): guarded transitions, recovery, expiry, admin
// tools, reads and retention. Same fresh database per test, same helpers.

import { describe, expect, it } from "bun:test";
import { doneFields } from "./store-done";
import type { SuiteContext } from "./store-suite";

const done = doneFields;

export function jobStoreSuiteMore({ t, add, claim }: SuiteContext): void {
  const s = () => t().store;
  const idOf = (publicId: string) => s().findByPublicId(publicId)?.id ?? -1;

  describe("transitions", () => {
    it("marks done only for the worker that owns the row, once", () => {
      add("A", "ip:a", { inputPath: "/u/a" });
      claim(10, "w1");
      const id = idOf("A");
      expect(s().markDone(id, "w2", done(), 100)).toBeUndefined();
      const row = s().markDone(id, "w1", done(), 100);
      expect(row).toMatchObject({
        status: "done",
        progress: 1,
        finishedAt: 100,
        inputPath: null,
        resultBytes: 4,
      });
      expect(row?.audioDurationS).toBe(12.5);
      expect(s().markDone(id, "w1", done(), 101)).toBeUndefined();
      expect(s().markCancelled("A", 102)).toBeUndefined();
    });

    it("marks failed, keeping the input for a retry only when asked", () => {
      add("A", "ip:a", { inputPath: "/u/a" });
      add("B", "ip:b", { inputPath: "/u/b" });
      claim(10, "w");
      claim(10, "w");
      expect(s().markFailed(idOf("A"), "w", "ffmpeg_failed", "boom", 50)).toMatchObject({
        status: "failed",
        errorCode: "ffmpeg_failed",
        errorDetail: "boom",
        finishedAt: 50,
        inputPath: null,
      });
      expect(s().markFailed(idOf("B"), "w", "timeout", "slow", 50, 9_000)).toMatchObject({
        status: "failed",
        inputPath: "/u/b",
        expiresAt: 9_000,
      });
      expect(s().markFailed(idOf("B"), "w", "timeout", "again", 51)).toBeUndefined();
    });

    it("releases a running job back to the queue, giving the attempt back", () => {
      add("A", "ip:a");
      claim(10, "w");
      s().setProgress(idOf("A"), 0.5, "render", 20);
      expect(s().findByPublicId("A")).toMatchObject({ progress: 0.5, stage: "render", heartbeatAt: 20 });
      expect(s().release(idOf("A"), "other")).toBeUndefined();
      expect(s().release(idOf("A"), "w")).toMatchObject({
        status: "queued",
        workerId: null,
        attempts: 0,
        progress: 0,
        stage: null,
        startedAt: null,
      });
    });

    it("heartbeats only the owner's running row", () => {
      add("A", "ip:a");
      claim(10, "w");
      s().touchHeartbeat(idOf("A"), "other", 500);
      expect(s().findByPublicId("A")?.heartbeatAt).toBe(1);
      s().touchHeartbeat(idOf("A"), "w", 500);
      expect(s().findByPublicId("A")?.heartbeatAt).toBe(500);
    });

    it("cancels queued and running jobs, not finished ones", () => {
      add("Q", "ip:a");
      add("R", "ip:b");
      expect(claim()).toBe("Q");
      expect(s().markCancelled("Q", 7)).toMatchObject({
        status: "cancelled",
        errorCode: "cancelled",
        finishedAt: 7,
      });
      expect(s().markCancelled("R", 8)?.status).toBe("cancelled");
      expect(s().markCancelled("R", 9)).toBeUndefined();
      expect(s().markCancelled("NOPE", 9)).toBeUndefined();
    });
  });

  describe("recovery and expiry", () => {
    it("re-queues abandoned running rows and fails those out of attempts, in one go", () => {
      for (const id of ["A", "B", "C", "D"]) add(id, `ip:${id}`);
      t().patch("A", { status: "running", worker_id: "dead", attempts: 1 });
      t().patch("B", { status: "running", worker_id: "dead", attempts: 3 });
      t().patch("C", { status: "running", worker_id: "me", attempts: 1 });
      const r = s().requeueAbandoned({ exceptWorker: "me", maxAttempts: 3, now: 40 });
      expect(r.requeued.map((x) => x.publicId)).toEqual(["A"]);
      expect(r.failed.map((x) => x.publicId)).toEqual(["B"]);
      expect(s().findByPublicId("A")).toMatchObject({ status: "queued", workerId: null });
      expect(s().findByPublicId("B")).toMatchObject({
        status: "failed",
        errorCode: "interrupted",
        finishedAt: 40,
      });
      expect(s().findByPublicId("C")?.status).toBe("running");
      t().patch("C", { heartbeat_at: 10 });
      t().patch("D", { status: "running", worker_id: "me", attempts: 1, heartbeat_at: 1000 });
      const stale = s().requeueAbandoned({ staleBefore: 500, maxAttempts: 3, now: 41 });
      expect(stale.requeued.map((x) => x.publicId)).toEqual(["C"]);
    });

    it("re-queues only the running rows of workers that are not live nodes, and only once their beats are old", () => {
      for (const id of ["A", "B", "C", "D"]) add(id, `ip:${id}`);
      t().patch("A", { status: "running", worker_id: "n1", attempts: 1, heartbeat_at: 100 });
      t().patch("B", { status: "running", worker_id: "dead", attempts: 1, heartbeat_at: 100 });
      // Claimed a moment ago by a node that registered after the live list was read: not touched.
      t().patch("C", { status: "running", worker_id: "fresh", attempts: 1, heartbeat_at: 990 });
      t().patch("D", { status: "running", worker_id: "n2", attempts: 1, heartbeat_at: 100 });
      const o = { exceptWorkers: ["n1", "n2"], staleBefore: 500, maxAttempts: 3, now: 1000 };
      expect(
        s()
          .requeueAbandoned(o)
          .requeued.map((x) => x.publicId),
      ).toEqual(["B"]);
      // Once: the row is queued now, a second sweep finds nothing.
      expect(s().requeueAbandoned(o).requeued).toEqual([]);
      expect(s().findByPublicId("B")).toMatchObject({ status: "queued", workerId: null, attempts: 1 });
      expect(["A", "C", "D"].map((id) => s().findByPublicId(id)?.status)).toEqual([
        "running",
        "running",
        "running",
      ]);
    });

    it("expires done results past their time and clears failed jobs' kept inputs, returning the rows as they were", () => {
      for (const id of ["A", "B", "C"]) add(id, `ip:${id}`, { inputPath: `/u/${id}` });
      for (let i = 0; i < 3; i++) claim(10, "w");
      s().markDone(idOf("A"), "w", done({ expiresAt: 100 }), 10);
      s().markDone(idOf("B"), "w", done({ expiresAt: 900 }), 10);
      s().markFailed(idOf("C"), "w", "x", "y", 10, 100);
      const due = s().expireDue(100);
      expect(due.map((r) => [r.publicId, r.status, r.resultPath, r.inputPath])).toEqual([
        ["A", "done", "/r/x_master.wav", null],
        ["C", "failed", null, "/u/C"],
      ]);
      expect(s().findByPublicId("A")).toMatchObject({ status: "expired", resultPath: null });
      expect(s().findByPublicId("C")).toMatchObject({ status: "failed", inputPath: null });
      expect(s().findByPublicId("B")?.status).toBe("done");
      expect(s().expireDue(100)).toEqual([]);
    });
  });

  describe("admin tools", () => {
    it("takes a kept input once, gives it back, and deletes a result early", () => {
      add("A", "ip:a", { inputPath: "/u/a" });
      add("B", "ip:b", { inputPath: "/u/b" });
      claim(10, "w");
      claim(10, "w");
      s().markFailed(idOf("A"), "w", "x", "y", 10, 99_999);
      expect(s().takeInput(idOf("A"))).toBe("/u/a");
      expect(s().takeInput(idOf("A"))).toBeUndefined();
      s().giveInputBack(idOf("A"), "/u/a");
      expect(s().takeInput(idOf("A"))).toBe("/u/a");
      s().markDone(idOf("B"), "w", done(), 10);
      expect(s().expireResultNow("B", 77)?.resultPath).toBe("/r/x_master.wav");
      expect(s().findByPublicId("B")).toMatchObject({ status: "expired", resultPath: null, expiresAt: 77 });
      expect(s().expireResultNow("B", 78)).toBeUndefined();
    });

    it("searches records by status, source, owner, user, text and page, newest first, without the token", () => {
      t().addUser(5);
      add("K7M2QX", "ip:a", { originalName: "Summer Song.wav", source: "web" });
      add("P2", "user:5", { userId: 5, originalName: "other.flac", source: "bot" });
      add("P3", "ip:a", { originalName: "summer-2.wav", source: "api" });
      claim();
      const search = (f: Partial<Parameters<ReturnType<typeof s>["searchRecords"]>[0]>) =>
        s()
          .searchRecords({ limit: 10, ...f })
          .map((r) => r.publicId);
      expect(search({})).toEqual(["P3", "P2", "K7M2QX"]);
      expect(search({ text: "SUMMER" })).toEqual(["P3", "K7M2QX"]);
      expect(search({ text: "k7m2qx" })).toEqual(["K7M2QX"]);
      expect(search({ status: ["running"] })).toEqual(["K7M2QX"]);
      expect(search({ status: ["queued", "running"], source: "bot" })).toEqual(["P2"]);
      expect(search({ userId: 5 })).toEqual(["P2"]);
      expect(search({ ownerKey: "ip:a", beforeId: idOf("P3") })).toEqual(["K7M2QX"]);
      expect(search({ limit: 1 })).toEqual(["P3"]);
      expect(s().searchRecords({ limit: 1 })[0]).not.toHaveProperty("accessToken");
    });
  });

  describe("reads", () => {
    it("counts by status, lists active jobs running first, and failures newest first", () => {
      for (const id of ["A", "B", "C", "D"]) add(id, `ip:${id}`);
      claim(10, "w");
      claim(10, "w");
      s().markFailed(idOf("A"), "w", "e1", "d", 10);
      s().markFailed(idOf("B"), "w", "e2", "d", 20);
      claim(10, "w");
      expect(s().countByStatus()).toMatchObject({ queued: 1, running: 1, failed: 2, done: 0, total: 4 });
      expect(s().countQueued()).toBe(1);
      expect(
        s()
          .activeLines(10)
          .map((l) => [l.publicId, l.status]),
      ).toEqual([
        ["C", "running"],
        ["D", "queued"],
      ]);
      expect(s().recentFailures(10)).toEqual([
        { publicId: "B", errorCode: "e2", ownerKey: "ip:B", finishedAt: 20 },
        { publicId: "A", errorCode: "e1", ownerKey: "ip:A", finishedAt: 10 },
      ]);
      expect(s().outcomesSince(15)).toEqual({ finished: 1, failed: 1 });
      expect(
        s()
          .unsuccessfulEndedSince(0)
          .map((r) => r.publicId)
          .sort(),
      ).toEqual(["A", "B"]);
    });

    it("windowed stats average the done jobs' realtime factor", () => {
      for (const id of ["A", "B", "C"]) add(id, `ip:${id}`);
      for (let i = 0; i < 3; i++) claim(10, "w");
      s().markDone(idOf("A"), "w", done({ realtimeFactor: 10 }), 100);
      s().markDone(idOf("B"), "w", done({ realtimeFactor: 30 }), 100);
      s().markFailed(idOf("C"), "w", "x", "y", 100);
      expect(s().statsSince(50)).toEqual({ done: 2, failed: 1, mean_realtime_factor: 20 });
      expect(s().statsSince(200)).toEqual({ done: 0, failed: 0, mean_realtime_factor: null });
    });

    it("lists by owner (newest first), by batch (in order), records without the token, and a user's counts", () => {
      t().addUser(3);
      add("A1", "user:3", { userId: 3, batchId: "b1" });
      add("A2", "user:3", { userId: 3, batchId: "b1" });
      add("T1", "tg:9");
      expect(
        s()
          .listByOwner("user:3", 10)
          .map((r) => r.publicId),
      ).toEqual(["A2", "A1"]);
      expect(
        s()
          .listByBatch("b1")
          .map((r) => r.publicId),
      ).toEqual(["A1", "A2"]);
      expect(
        s()
          .listRecords({ limit: 2 })
          .map((r) => r.publicId),
      ).toEqual(["T1", "A2"]);
      expect(s().listRecords({ status: "queued", limit: 5 })).toHaveLength(3);
      expect(s().findRecord("A1")).not.toHaveProperty("accessToken");
      expect(s().findRecord("A1")?.ownerKey).toBe("user:3");
      expect(s().countsOfUser(3, "tg:9")).toEqual({ total: 3, done: 0, failed: 0, last_at: 3 });
      expect(s().countsOfUser(4, null)).toEqual({ total: 0, done: 0, failed: 0, last_at: null });
    });

    it("pages a user's history newest first by (created_at, public_id), never repeating a row", () => {
      t().addUser(1);
      for (const [id, at] of [
        ["B", 10],
        ["A", 10],
        ["C", 20],
        ["D", 5],
      ] as const)
        t().store.enqueue(
          { publicId: id, accessToken: "t", ownerKey: "user:1", userId: 1, source: "web", createdAt: at },
          99,
        );
      const first = s().pageOfUser(1, 2);
      expect(first.map((r) => r.publicId)).toEqual(["C", "B"]);
      const last = first.at(-1);
      const next = s().pageOfUser(
        1,
        5,
        last ? { createdAt: last.createdAt, publicId: last.publicId } : undefined,
      );
      expect(next.map((r) => r.publicId)).toEqual(["A", "D"]);
    });

    it("finds a user's queued jobs and files, forgets the files, moves jobs to another owner, and stores bot ids", () => {
      t().addUser(1);
      t().addUser(2);
      add("U1", "user:1", { userId: 1, inputPath: "/u/1" });
      add("T1", "tg:7", { inputPath: "/u/t" });
      add("X", "ip:x");
      expect(s().queuedOfUser(1, ["tg:7"])).toEqual(["U1", "T1"]);
      expect(s().queuedOfUser(1, [])).toEqual(["U1"]);
      const files = s().filesOfUser(1, ["tg:7"]);
      expect(files.map((f) => [f.publicId, f.status, f.inputPath]).sort()).toEqual([
        ["T1", "queued", "/u/t"],
        ["U1", "queued", "/u/1"],
      ]);
      s().forgetFiles(
        files.map((f) => f.id),
        50,
      );
      expect(s().findByPublicId("U1")?.inputPath).toBeNull();
      expect(s().reassignOwner({ userId: 1, ownerKey: "tg:7" }, { userId: 2, ownerKey: "user:2" })).toBe(2);
      expect(
        s()
          .listByOwner("user:2", 10)
          .map((r) => r.publicId)
          .sort(),
      ).toEqual(["T1", "U1"]);
      s().setBotMessage("X", "-100", 42);
      expect(s().findByPublicId("X")).toMatchObject({ botChatId: "-100", botMessageId: 42 });
      s().clearInputPath(idOf("T1"));
      expect(s().findByPublicId("T1")?.inputPath).toBeNull();
    });
  });

  describe("retention and daily figures", () => {
    const DAY = 86_400_000;
    it("sums a UTC day, names deletable dates, deletes in batches with every sibling file, keeps live paths", () => {
      t().addUser(8);
      add("A", "user:8", { userId: 8, createdAt: 1, inputPath: "/u/a", kind: "master" });
      add("B", "ip:b", { createdAt: DAY + 2, inputPath: "/u/b" });
      add("C", "ip:c", { createdAt: DAY + 3 });
      add("Q", "ip:q", { createdAt: 3 * DAY, inputPath: "/u/q" });
      for (let i = 0; i < 3; i++) claim(10, "w");
      const result = done({
        resultPath: "/r/a.wav",
        audioDurationS: 60,
        realtimeFactor: 8,
        expiresAt: DAY + 100,
      });
      s().markDone(idOf("A"), "w", result, 10);
      s().markFailed(idOf("B"), "w", "x", "y", DAY + 20);
      s().markCancelled("C", 2 * DAY + 5);
      const day0 = s().daySummary(0, DAY);
      expect(day0).toEqual({
        done: 1,
        failed: 0,
        cancelled: 0,
        audioS: 60,
        meanRealtimeFactor: 8,
        activeKeys: ["u8"],
      });
      const day1 = s().daySummary(DAY, 2 * DAY);
      expect(day1).toMatchObject({ done: 0, failed: 1, cancelled: 0, audioS: 0, meanRealtimeFactor: null });
      expect([...day1.activeKeys].sort()).toEqual(["ip:b", "ip:c"]);
      expect(
        s()
          .datesOfDeletable(3 * DAY, 3 * DAY)
          .sort(),
      ).toEqual(["1970-01-01", "1970-01-02", "1970-01-03"]);
      // Before DAY + 100 the done row's result is still downloadable: its day is not deletable yet.
      expect(
        s()
          .datesOfDeletable(3 * DAY, DAY + 50)
          .sort(),
      ).toEqual(["1970-01-02", "1970-01-03"]);
      expect(s().referencedPaths().has("/r/a.wav")).toBe(true);
      expect(s().referencedPaths().has("/u/q")).toBe(true);
      expect(s().activePublicIds()).toEqual(new Set(["Q"]));
      const first = s().deleteOld(3 * DAY, 3 * DAY, 2);
      const second = s().deleteOld(3 * DAY, 3 * DAY, 2);
      expect([first.deleted, second.deleted]).toEqual([2, 1]);
      const paths = [...first.paths, ...second.paths];
      expect(paths).toContain("/r/a.wav");
      expect(paths).toContain("/r/a.wav.plots.json");
      expect(s().deleteOld(3 * DAY, 3 * DAY, 2).deleted).toBe(0);
      expect(s().countByStatus().total).toBe(1);
    });
  });
}
