// The ledger store and the ledger over it, on one backend: each (reason, ref) written once, the cached
// sum (ledger_balances) moving only with a written row, a failed transaction leaving neither, keyset
// pages, and the ledger's adjustments, charges, refunds, grants, takes and moves. Run on both backends
// by stores.test.ts.

import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createLedger, type Ledger } from "../../../src/billing";
import { AppError } from "../../../src/errors";
import type { BillingBackend, BillingDb } from "./backends";

export const thrown = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
};

/** Every user's cached sum against the rows themselves: none may differ. */
export function cacheDrift(db: BillingDb) {
  const cached = db.rows<{ user_id: number; balance: number; rows: number }>(
    "SELECT user_id, balance, rows FROM ledger_balances ORDER BY user_id",
  );
  const summed = db.rows<{ user_id: number; balance: number; rows: number }>(
    "SELECT user_id, sum(delta) AS balance, count(*) AS rows FROM ledger GROUP BY user_id ORDER BY user_id",
  );
  return { cached, summed };
}

const job = (publicId: string, userId: number) => ({
  publicId,
  ownerKey: `user:${userId}`,
  userId,
  kind: "master" as const,
});

export function ledgerSuite(b: BillingBackend) {
  describe.skipIf(b.skip ?? false)(`ledger store on ${b.name}`, () => {
    let db: BillingDb;
    let ledger: Ledger;
    beforeEach(() => {
      db = b.open();
      ledger = createLedger({ store: db.stores.ledger, costOf: () => 2 });
    });
    afterEach(() => db.close());

    it("writes a (reason, ref) once; the cached sum moves only with a written row", () => {
      const s = db.stores.ledger;
      const u = db.user();
      const e = { userId: u, delta: 7, reason: "test_credit", ref: "once", actor: "cli", createdAt: 1 };
      expect(s.append(e)).toBe(true);
      expect(s.append({ ...e, delta: 100 })).toBe(false);
      expect(s.append({ ...e, ref: "twice", delta: -2 })).toBe(true);
      expect(s.balance(u)).toBe(5);
      expect(s.balance(db.user())).toBe(0);
      expect(s.find("test_credit", "once")).toMatchObject({ userId: u, delta: 7, actor: "cli", note: null });
      expect(s.find("test_credit", "nope")).toBeUndefined();
      const d = cacheDrift(db);
      expect(d.cached).toEqual([{ user_id: u, balance: 5, rows: 2 }]);
      expect(d.cached).toEqual(d.summed);
    });

    it("a transaction that throws leaves neither the row nor its cached sum", () => {
      const s = db.stores.ledger;
      const u = db.user();
      s.append({ userId: u, delta: 3, reason: "test_credit", ref: "a", actor: "cli", createdAt: 1 });
      expect(() =>
        s.atomically(() => {
          s.append({ userId: u, delta: 4, reason: "test_credit", ref: "b", actor: "cli", createdAt: 2 });
          throw new Error("rolled back");
        }),
      ).toThrow("rolled back");
      expect(s.balance(u)).toBe(3);
      expect(s.find("test_credit", "b")).toBeUndefined();
      expect(cacheDrift(db).cached).toEqual([{ user_id: u, balance: 3, rows: 1 }]);
    });

    it("lists a user's rows newest first and pages them by id", () => {
      const s = db.stores.ledger;
      const u = db.user();
      const other = db.user();
      for (let i = 1; i <= 5; i++)
        s.append({ userId: u, delta: i, reason: "test_credit", ref: `r${i}`, actor: "cli", createdAt: i });
      s.append({ userId: other, delta: 9, reason: "test_credit", ref: "o", actor: "cli", createdAt: 9 });
      expect(s.listOfUser(u, 3).map((r) => r.delta)).toEqual([5, 4, 3]);
      const p1 = ledger.page(u, 2);
      expect(p1.rows.map((r) => r.delta)).toEqual([5, 4]);
      const p2 = ledger.page(u, 2, p1.next ?? undefined);
      expect(p2.rows.map((r) => r.delta)).toEqual([3, 2]);
      const p3 = ledger.page(u, 2, p2.next ?? undefined);
      expect([p3.rows.map((r) => r.delta), p3.next]).toEqual([[1], null]);
    });

    it("adjusts once per ref: a replay answers the first row, another user or amount is refused", () => {
      const u = db.user();
      const first = ledger.credit(u, 10, { note: "gift", actor: "cli", ref: "form-1" });
      expect([first.applied, first.balance]).toEqual([true, 10]);
      const again = ledger.credit(u, 10, { note: "gift", actor: "cli", ref: "form-1" });
      expect([again.applied, again.balance, again.row.id]).toEqual([false, 10, first.row.id]);
      expect(thrown(() => ledger.debit(u, 10, { note: "x", actor: "cli", ref: "form-1" })).code).toBe(
        "adjustment_ref_conflict",
      );
      expect(ledger.debit(u, 3, { note: "fix", actor: "cli" }).balance).toBe(7);
      const e = thrown(() => ledger.debit(u, 8, { note: "too much", actor: "cli" }));
      expect([e.code, e.status, e.params.balance]).toEqual(["insufficient_tokens", 403, 7]);
      for (const n of [0, -1, 1.5])
        expect(thrown(() => ledger.credit(u, n, { note: "x", actor: "cli" })).code).toBe("invalid_amount");
      expect(ledger.rows(u).map((r) => [r.reason, r.delta])).toEqual([
        ["admin_debit", -3],
        ["admin_credit", 10],
      ]);
    });

    it("charges a job once, refuses one it cannot pay, refunds the charge once", () => {
      const u = db.user();
      ledger.credit(u, 3, { note: "top-up", actor: "cli" });
      expect(ledger.reserve(job("JOB1", u))).toBe(2);
      expect(ledger.reserve(job("JOB1", u))).toBe(2); // a second reserve of the same job charges nothing
      expect(ledger.balance(u)).toBe(1);
      const e = thrown(() => ledger.reserve(job("JOB2", u)));
      expect([e.code, e.params.balance, e.params.cost]).toEqual(["insufficient_tokens", 1, 2]);
      expect(ledger.refundMissing?.(job("JOB1", u))).toBe(true);
      ledger.refund({ ...job("JOB1", u), cost: 2 }, "failed");
      ledger.refund({ ...job("JOB1", u), cost: 2 }, "failed");
      expect(ledger.refundMissing?.(job("JOB1", u))).toBe(false);
      expect(ledger.balance(u)).toBe(3);
      expect(ledger.entry("refund", "JOB1")).toMatchObject({ delta: 2, note: "failed" });
      expect(ledger.amountOf("charge", "JOB2")).toBe(0);
    });

    it("grants and takes once per ref, never below zero, and moves a whole balance once", () => {
      const a = db.user();
      const z = db.user();
      const once = { reason: "bonus", ref: "welcome", actor: "system" };
      expect(ledger.grantOnce(a, 5, once)).toBe(true);
      expect(ledger.grantOnce(a, 5, once)).toBe(false);
      expect(ledger.post({ userId: a, delta: 1, reason: "payment", ref: "p1", actor: "system" })).toBe(true);
      expect(ledger.post({ userId: a, delta: 1, reason: "payment", ref: "p1", actor: "system" })).toBe(false);
      expect(ledger.takeOnce(a, 10, { reason: "claw", ref: "c1", actor: "system" })).toBe(6);
      expect(ledger.takeOnce(a, 10, { reason: "claw", ref: "c1", actor: "system" })).toBe(0);
      ledger.credit(a, 4, { note: "x", actor: "cli" });
      expect(ledger.moveAll(a, z, { reason: "merge", ref: "m1", actor: "system" })).toBe(4);
      expect(ledger.moveAll(a, z, { reason: "merge", ref: "m1", actor: "system" })).toBe(0);
      expect([ledger.balance(a), ledger.balance(z)]).toEqual([0, 4]);
      expect(ledger.entry("merge_in", "m1")).toMatchObject({ userId: z, delta: 4 });
      const d = cacheDrift(db);
      expect(d.cached).toEqual(d.summed);
    });

    it("reads many balances at once and the users with a positive one", () => {
      const [a, c, z] = [db.user(), db.user(), db.user()];
      ledger.credit(a, 4, { note: "x", actor: "cli" });
      ledger.credit(c, 2, { note: "x", actor: "cli" });
      ledger.debit(c, 2, { note: "x", actor: "cli" });
      const got = db.stores.balances.of([a, c, z]);
      expect([got.get(a), got.get(c), got.get(z)]).toEqual([4, 0, undefined]);
      expect(db.stores.balances.of([]).size).toBe(0);
      expect(db.stores.balances.positive()).toEqual([a]);
    });
  });
}
