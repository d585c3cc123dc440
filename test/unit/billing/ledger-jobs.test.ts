// The charge in the job insert's transaction, on SQLite and on Postgres: a submit charges once and a
// cancel refunds once; an insert that fails after its charge ran takes the charge with it (on Postgres
// the charge runs in a savepoint of the job store's transaction, and the whole transaction rolls back).

import { afterEach, describe, expect, it } from "bun:test";
import { createJobStore } from "../../../src/jobs";
import { type LedgerWorld, ledgerBackends, ledgerRowsOf, ledgerWorld, masterRequest } from "./fixture";

const backends = ledgerBackends("the ledger's job charges");

for (const b of backends)
  describe.skipIf(b.skip)(`ledger charges with jobs on ${b.name}`, () => {
    let w: LedgerWorld;
    const world = () => {
      w = ledgerWorld({ backend: b.open() });
      return w;
    };
    afterEach(() => w?.close());

    it("charges a pro master once at submit and refunds a cancel once", () => {
      const w = world();
      const u = w.user(1, "pro");
      w.ledger.credit(u, 2, { note: "top-up", actor: "cli" });
      const jobs = w.jobs();
      const v = jobs.submit(masterRequest(u));
      expect(w.ledger.balance(u)).toBe(1);
      expect(jobs.cancel(v.id, "test").status).toBe("cancelled");
      expect(() => jobs.cancel(v.id, "test")).toThrow();
      // A refund attempted again (another path racing) writes nothing.
      w.ledger.refund(
        { publicId: v.id, ownerKey: `user:${u}`, userId: u, kind: "master", cost: 1 },
        "failed",
      );
      expect(w.ledger.balance(u)).toBe(2);
      expect(
        ledgerRowsOf(w)
          .filter((r) => r.ref === v.id)
          .map((r) => [r.reason, r.delta, r.note]),
      ).toEqual([
        ["charge", -1, null],
        ["refund", 1, "cancelled"],
      ]);
    });

    it("rolls the charge back with the job insert when the insert fails", () => {
      const w = world();
      const u = w.user(1, "pro");
      w.ledger.credit(u, 5, { note: "top-up", actor: "cli" });
      const v = w.jobs().submit(masterRequest(u));
      const store = createJobStore(w.backend);
      const existing = store.findByPublicId(v.id);
      if (!existing) throw new Error("job row missing");
      const { id: _id, ...dup } = existing;
      // Same public id: the insert violates the unique index after the charge ran in its transaction.
      const charge = () =>
        w.ledger.reserve({ publicId: "ZZZZZZ", ownerKey: dup.ownerKey, userId: u, kind: "master" });
      expect(() => store.enqueue(dup, 100, charge)).toThrow();
      expect(ledgerRowsOf(w).filter((r) => r.ref === "ZZZZZZ")).toHaveLength(0);
      expect(w.ledger.balance(u)).toBe(4);
      expect(w.rows<{ balance: number }>("SELECT balance FROM ledger_balances")).toEqual([{ balance: 4 }]);
    });
  });
