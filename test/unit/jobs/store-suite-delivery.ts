// The JobStore suite's bot-delivery part (jobs.bot_delivery), on both backends: a finished bot job is
// owed to its chat until a send is settled; a claim is a lease of one node — due again when that node is
// not live or the lease ran out — and one guarded UPDATE, so two leaders never both hold it; a failed send
// goes back to pending and gives up (failed) after the bound or at once when told to.

import { describe, expect, it } from "bun:test";
import type { DeliveryLease } from "../../../src/jobs/store";
import { doneFields } from "./store-done";
import type { SuiteContext } from "./store-suite";

const done = doneFields({ audioDurationS: 1 });

/** Nodes n1 and n2 live; claims made before t=1000 are past their lease. */
const lease: DeliveryLease = { live: ["n1", "n2"], staleBefore: 1000 };
const by = (node: string, at = 2000) => ({ ...lease, by: node, at });

export function jobStoreSuiteDelivery({ t, add, claim }: SuiteContext): void {
  const s = () => t().store;
  const idOf = (publicId: string) => s().findByPublicId(publicId)?.id ?? -1;
  const due = (n = 10, l = lease) =>
    s()
      .botDeliveriesDue(n, l)
      .map((r) => r.publicId);
  const row = (publicId: string) => {
    const r = s().findByPublicId(publicId);
    return {
      state: r?.botDelivery,
      by: r?.botDeliveryBy,
      at: r?.botDeliveryAt,
      attempts: r?.botDeliveryAttempts,
      error: r?.botDeliveryError,
    };
  };
  /** Bot jobs B1, B2 (done, failed) and a web job W1 (done), all finished. */
  const finished = () => {
    add("B1", "tg:1", { botChatId: "1", botMessageId: 5, botDelivery: "pending", inputPath: "/u/b1" });
    add("B2", "tg:2", { botChatId: "2", botMessageId: 6, botDelivery: "pending", inputPath: "/u/b2" });
    add("W1", "ip:w", { inputPath: "/u/w1" });
    expect(due()).toEqual([]);
    expect(s().claimBotDelivery("B1", by("n1"))).toBe(false);
    claim(10, "w1");
    claim(11, "w1");
    claim(12, "w1");
    s().markDone(idOf("B1"), "w1", done, 100);
    s().markDone(idOf("W1"), "w1", done, 101);
    s().markFailed(idOf("B2"), "w1", "ffmpeg_failed", "x", 102);
  };

  describe("bot update key", () => {
    it("finds the job a Telegram update made, and refuses a second job with the same key", () => {
      add("U1", "tg:1", { botChatId: "1", botUpdateKey: "1:500:0" });
      add("U2", "tg:1", { botChatId: "1", botUpdateKey: "1:500:1" });
      add("U3", "tg:1", { botChatId: "1" });
      add("U4", "tg:1", { botChatId: "1" });
      expect(s().findByBotUpdateKey("1:500:0")?.publicId).toBe("U1");
      expect(s().findByBotUpdateKey("1:500:1")?.publicId).toBe("U2");
      expect(s().findByBotUpdateKey("1:501:0")).toBeUndefined();
      expect(() => add("U5", "tg:1", { botChatId: "1", botUpdateKey: "1:500:0" })).toThrow();
      expect(s().findByPublicId("U5")).toBeUndefined();
    });
  });

  describe("bot delivery", () => {
    it("owes a finished bot job until one claim wins it and the send is settled; unfinished and non-bot jobs are never due", () => {
      finished();
      expect(due()).toEqual(["B1", "B2"]);
      expect(due(1)).toEqual(["B1"]);
      expect(s().claimBotDelivery("B1", by("n1"))).toBe(true);
      // Held by a live node inside its lease: nobody else (nor n1 again) may take it.
      expect(s().claimBotDelivery("B1", by("n2"))).toBe(false);
      expect(s().claimBotDelivery("B1", by("n1"))).toBe(false);
      expect(s().claimBotDelivery("W1", by("n1"))).toBe(false);
      expect(due()).toEqual(["B2"]);
      expect(row("B1")).toEqual({ state: "claimed", by: "n1", at: 2000, attempts: 1, error: null });
      // Only the holder settles it.
      expect(s().settleBotDelivery("B1", "n2", { ok: true })).toBeUndefined();
      expect(s().settleBotDelivery("B1", "n1", { ok: true })).toEqual({ state: "sent", attempts: 1 });
      expect(s().settleBotDelivery("B1", "n1", { ok: true })).toBeUndefined();
      expect(row("B1").state).toBe("sent");
      expect(s().claimBotDelivery("B1", by("n2"))).toBe(false);
      expect(due(10, { live: [], staleBefore: 1e15 })).toEqual(["B2"]);
    });

    it("a claim of a node that is no longer live, or past its lease, is due again and taken over once", () => {
      finished();
      expect(s().claimBotDelivery("B1", by("n1"))).toBe(true);
      expect(s().claimBotDelivery("B2", by("n2", 500))).toBe(true);
      // n2's claim of B2 is older than the lease (a hung send); n1 is live and inside it.
      expect(due()).toEqual(["B2"]);
      // n1 died: its claim of B1 is due for the others.
      const n1Gone: DeliveryLease = { live: ["n2", "n3"], staleBefore: 1000 };
      expect(due(10, n1Gone)).toEqual(["B1", "B2"]);
      expect(s().claimBotDelivery("B1", { ...n1Gone, by: "n3", at: 3000 })).toBe(true);
      expect(s().claimBotDelivery("B1", { ...n1Gone, by: "n2", at: 3000 })).toBe(false);
      expect(row("B1")).toEqual({ state: "claimed", by: "n3", at: 3000, attempts: 2, error: null });
      // The dead node's late answer no longer settles anything; the new holder's does.
      expect(s().settleBotDelivery("B1", "n1", { ok: true })).toBeUndefined();
      expect(s().settleBotDelivery("B1", "n3", { ok: true })).toEqual({ state: "sent", attempts: 2 });
      expect(s().claimBotDelivery("B2", by("n1"))).toBe(true);
      expect(row("B2")).toMatchObject({ state: "claimed", by: "n1", attempts: 2 });
    });

    it("a failed send is pending again with its error, and failed after the bound or when told to give up", () => {
      finished();
      const fail = (id: string, node: string, giveUp = false) =>
        s().settleBotDelivery(id, node, {
          ok: false,
          error: "Forbidden: bot was blocked",
          giveUp,
          maxAttempts: 3,
        });
      for (let i = 1; i <= 2; i++) {
        expect(s().claimBotDelivery("B1", by("n1"))).toBe(true);
        expect(fail("B1", "n1")).toEqual({ state: "pending", attempts: i });
        expect(row("B1")).toMatchObject({ state: "pending", error: "Forbidden: bot was blocked" });
        expect(due()).toContain("B1");
      }
      expect(s().claimBotDelivery("B1", by("n2"))).toBe(true);
      expect(fail("B1", "n2")).toEqual({ state: "failed", attempts: 3 });
      expect(due()).toEqual(["B2"]);
      expect(s().claimBotDelivery("B1", by("n1"))).toBe(false);
      // A permanent error gives up at the first attempt.
      expect(s().claimBotDelivery("B2", by("n1"))).toBe(true);
      expect(fail("B2", "n1", true)).toEqual({ state: "failed", attempts: 1 });
      expect(due(10, { live: [], staleBefore: 1e15 })).toEqual([]);
      // A later success clears the error.
      add("B3", "tg:3", { botChatId: "3", botMessageId: 7, botDelivery: "pending", inputPath: "/u/b3" });
      claim(13, "w1");
      s().markDone(idOf("B3"), "w1", done, 103);
      expect(s().claimBotDelivery("B3", by("n1"))).toBe(true);
      expect(fail("B3", "n1")?.state).toBe("pending");
      expect(s().claimBotDelivery("B3", by("n1"))).toBe(true);
      expect(s().settleBotDelivery("B3", "n1", { ok: true })?.state).toBe("sent");
      expect(row("B3")).toMatchObject({ state: "sent", error: null, attempts: 2 });
    });
  });
}
