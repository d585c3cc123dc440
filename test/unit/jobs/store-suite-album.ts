// The JobStore suite's album-report part (bot_album_reports), on both backends: the bot's album owes its
// chat one report, written with the album's jobs in one transaction (a refused set leaves none); it is
// due only once every track is final AND its own result settled, so it always follows the last track;
// one guarded claim (a lease of one node, due again when that node is not live or the lease ran out); a
// failed send is pending again up to the bound; retention's deleteOld drops the reports of batches it
// emptied.

import { describe, expect, it } from "bun:test";
import type { DeliveryLease, NewJobRow } from "../../../src/jobs/store";
import { doneFields } from "./store-done";
import type { SuiteContext } from "./store-suite";

const done = doneFields({ audioDurationS: 1 });
const lease: DeliveryLease = { live: ["n1", "n2"], staleBefore: 1000 };
const by = (node: string, at = 2000, l = lease) => ({ ...l, by: node, at });

export function jobStoreSuiteAlbum({ t, claim }: SuiteContext): void {
  const s = () => t().store;
  let seq = 2000;
  const track = (publicId: string, batchId: string): NewJobRow => ({
    publicId,
    accessToken: "t",
    ownerKey: "tg:7",
    source: "bot",
    batchId,
    botChatId: "7",
    botMessageId: 1,
    botDelivery: "pending",
    inputPath: `/u/${publicId}`,
    createdAt: ++seq,
  });
  const album = (batchId: string, ids: string[]) =>
    s().enqueueAll(
      ids.map((id) => track(id, batchId)),
      100,
      undefined,
      { batchId, chatId: "7", createdAt: ++seq },
    );
  const due = (l = lease) =>
    s()
      .albumReportsDue(10, l)
      .map((r) => [r.batchId, r.chatId, r.state]);
  const idOf = (publicId: string) => s().findByPublicId(publicId)?.id ?? -1;
  /** Runs the next queued track to done and settles its own result as sent. */
  const finishNext = (node = "n1") => {
    const id = claim(10, "w1") ?? "";
    s().markDone(idOf(id), "w1", done, 100);
    expect(s().claimBotDelivery(id, by(node))).toBe(true);
    expect(s().settleBotDelivery(id, node, { ok: true })?.state).toBe("sent");
    return id;
  };

  describe("album report", () => {
    it("is owed once the last track is final and its result settled, won by one claim, sent once", () => {
      expect(album("al1", ["L1", "L2", "L3"])).toHaveLength(3);
      expect(due()).toEqual([]);
      finishNext();
      finishNext();
      expect(s().claimAlbumReport("al1", by("n1"))).toBe(false);
      // The last track done but its own result not yet sent: the report waits behind it.
      const last = claim(10, "w1") ?? "";
      s().markFailed(idOf(last), "w1", "ffmpeg_failed", "x", 101);
      expect(due()).toEqual([]);
      expect(s().claimBotDelivery(last, by("n1"))).toBe(true);
      expect(due()).toEqual([]);
      expect(
        s().settleBotDelivery(last, "n1", { ok: false, error: "x", giveUp: true, maxAttempts: 5 })?.state,
      ).toBe("failed");
      expect(due()).toEqual([["al1", "7", "pending"]]);
      expect(s().claimAlbumReport("al1", by("n1"))).toBe(true);
      expect(s().claimAlbumReport("al1", by("n2"))).toBe(false);
      expect(s().claimAlbumReport("al1", by("n1"))).toBe(false);
      expect(due()).toEqual([]);
      expect(s().settleAlbumReport("al1", "n2", { ok: true })).toBeUndefined();
      expect(s().settleAlbumReport("al1", "n1", { ok: true })).toEqual({ state: "sent", attempts: 1 });
      expect(s().settleAlbumReport("al1", "n1", { ok: true })).toBeUndefined();
      expect(due({ live: [], staleBefore: 1e15 })).toEqual([]);
      expect(s().claimAlbumReport("al1", by("n2", 9e12, { live: [], staleBefore: 1e15 }))).toBe(false);
    });

    it("a plain batch owes none; a set refused whole writes no report", () => {
      s().enqueueAll([track("P1", "pb"), track("P2", "pb")], 100);
      finishNext();
      finishNext();
      expect(due()).toEqual([]);
      expect(s().claimAlbumReport("pb", by("n1"))).toBe(false);
      // Over the queued cap: no job and no report row (a later album with this id starts clean).
      expect(album("al2", ["R1", "R2"])).toHaveLength(2);
      expect(
        s().enqueueAll([track("R3", "al3"), track("R4", "al3")], 3, undefined, {
          batchId: "al3",
          chatId: "7",
          createdAt: 1,
        }),
      ).toBeUndefined();
      expect(s().listByBatch("al3")).toEqual([]);
      expect(s().claimAlbumReport("al3", by("n1"))).toBe(false);
    });

    it("a claim of a dead node or past its lease is due again; a failed send is pending again up to the bound", () => {
      album("al4", ["M1"]);
      finishNext();
      expect(s().claimAlbumReport("al4", by("n1"))).toBe(true);
      const n1Gone: DeliveryLease = { live: ["n2"], staleBefore: 1000 };
      expect(due()).toEqual([]);
      expect(due(n1Gone)).toEqual([["al4", "7", "claimed"]]);
      expect(s().claimAlbumReport("al4", by("n2", 3000, n1Gone))).toBe(true);
      expect(s().settleAlbumReport("al4", "n1", { ok: true })).toBeUndefined();
      const fail = (node: string) =>
        s().settleAlbumReport("al4", node, { ok: false, error: "500: boom", giveUp: false, maxAttempts: 3 });
      expect(fail("n2")).toEqual({ state: "pending", attempts: 2 });
      expect(due()).toEqual([["al4", "7", "pending"]]);
      expect(s().claimAlbumReport("al4", by("n2", 500))).toBe(true);
      // Claimed at 500, before the lease's 1000: a hung send is taken over even by a live node.
      expect(due()).toEqual([["al4", "7", "claimed"]]);
      expect(s().claimAlbumReport("al4", by("n1"))).toBe(true);
      expect(fail("n1")).toEqual({ state: "failed", attempts: 4 });
      expect(due({ live: [], staleBefore: 1e15 })).toEqual([]);
    });

    it("retention drops the report of a batch it deleted, so a new album reusing the id owes its own", () => {
      album("al5", ["D1"]);
      finishNext();
      expect(s().claimAlbumReport("al5", by("n1"))).toBe(true);
      expect(s().settleAlbumReport("al5", "n1", { ok: true })?.state).toBe("sent");
      expect(s().deleteOld(1e13, 1e13, 100).deleted).toBe(1);
      album("al5", ["D2"]);
      finishNext();
      expect(due()).toEqual([["al5", "7", "pending"]]);
    });
  });
}
