// The token ledger on a real SQLite file: adjustments, refusals, free kinds, a refund lost to a crash, and the
// balance query on its covering index (charges with their job insert, on both backends: ledger-jobs.test.ts).
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { BALANCE_SQL, createSqliteLedgerStore, SUM_SQL } from "../../../src/billing/sqlite";
import { AppError } from "../../../src/errors";
import { createSqliteJobStore } from "../../../src/jobs/sqlite";
import { type LedgerWorld, ledgerRows, ledgerWorld, masterRequest } from "./fixture";

let w: LedgerWorld;
beforeEach(() => {
  w = ledgerWorld();
});
afterEach(() => w.close());

const thrown = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
};

describe("ledger adjustments", () => {
  it("credits and debits with reason and actor; the balance is the sum of the rows", () => {
    const u = w.user(1);
    expect(w.ledger.balance(u)).toBe(0);
    expect(w.ledger.credit(u, 10, { note: "gift", actor: "cli" }).balance).toBe(10);
    expect(w.ledger.debit(u, 3, { note: "fix", actor: "cli" }).balance).toBe(7);
    expect(w.ledger.balance(u)).toBe(7);
    const rows = ledgerRows(w.dbh);
    expect(rows.map((r) => [r.delta, r.reason, r.actor, r.note])).toEqual([
      [10, "admin_credit", "cli", "gift"],
      [-3, "admin_debit", "cli", "fix"],
    ]);
    expect(w.ledger.rows(u).map((r) => r.delta)).toEqual([-3, 10]);
  });

  it("refuses a debit below zero with insufficient_tokens and the balance, writing nothing", () => {
    const u = w.user(1);
    w.ledger.credit(u, 2, { note: "gift", actor: "cli" });
    const e = thrown(() => w.ledger.debit(u, 3, { note: "too much", actor: "cli" }));
    expect([e.code, e.status, e.params.balance]).toEqual(["insufficient_tokens", 403, 2]);
    expect(ledgerRows(w.dbh)).toHaveLength(1);
    expect(w.ledger.balance(u)).toBe(2);
  });

  it("refuses amounts that are not positive whole numbers", () => {
    const u = w.user(1);
    for (const n of [0, -1, 1.5])
      expect(thrown(() => w.ledger.credit(u, n, { note: "x", actor: "cli" })).code).toBe("invalid_amount");
    expect(ledgerRows(w.dbh)).toHaveLength(0);
  });
});

describe("ledger as the job system's billing", () => {
  it("refuses a job the balance cannot pay: 403 with the balance, no job row, no ledger row", () => {
    const u = w.user(1, "pro");
    const jobs = w.jobs();
    const e = thrown(() => jobs.submit(masterRequest(u)));
    expect([e.code, e.status, e.params.balance, e.params.cost]).toEqual(["insufficient_tokens", 403, 0, 1]);
    expect(jobs.listByOwner(`user:${u}`, 10)).toHaveLength(0);
    expect(ledgerRows(w.dbh)).toHaveLength(0);
  });

  it("charges nothing for free-tier users, guests, previews and measurements", () => {
    const free = w.user(1, "free");
    const pro = w.user(2, "pro");
    const jobs = w.jobs();
    jobs.submit(masterRequest(free));
    jobs.submit({ ...masterRequest(pro), kind: "preview" });
    jobs.submit({ ...masterRequest(pro), kind: "measure" });
    jobs.submit({ ...masterRequest(pro), userId: null, ownerKey: "ip:127.0.0.1" });
    expect(ledgerRows(w.dbh)).toHaveLength(0);
  });
});

describe("balance query", () => {
  const plan = (sql: string) =>
    w.dbh.sqlite
      .query<{ detail: string }, [number]>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(1)
      .map((r) => r.detail)
      .join("\n");
  it("reads the cached sum by primary key, and the check sum from the covering index only", () => {
    expect(plan(BALANCE_SQL)).toContain("USING INTEGER PRIMARY KEY");
    expect(plan(SUM_SQL)).toContain("USING COVERING INDEX ledger_user_delta_idx");
  });

  it("moves the cached sum only with a written row: a repeated (reason, ref) changes neither", () => {
    const u = w.user(1, "pro");
    const store = createSqliteLedgerStore(w.dbh);
    const e = { userId: u, delta: 7, reason: "test_credit", ref: "once", actor: "cli", createdAt: 1 };
    expect(store.append(e)).toBe(true);
    expect(store.append({ ...e, delta: 100 })).toBe(false);
    expect(store.balance(u)).toBe(7);
    const cached = w.dbh.sqlite
      .query<{ balance: number; rows: number }, [number]>(
        "SELECT balance, rows FROM ledger_balances WHERE user_id = ?1",
      )
      .get(u);
    expect(cached).toEqual({ balance: 7, rows: 1 });
  });
});

describe("refund lost to a crash", () => {
  it("is written once at restart recovery when a process died between the final state and its refund", () => {
    const u = w.user(1, "pro");
    w.ledger.credit(u, 3, { note: "top-up", actor: "cli" });
    const v = w.jobs().submit(masterRequest(u));
    expect(w.ledger.balance(u)).toBe(2);
    // What a worker killed right after committing `failed` leaves behind: the state, no refund.
    const store = createSqliteJobStore(w.dbh);
    const row = store.claimNext("dead-worker", 5, Date.now());
    expect(row?.publicId).toBe(v.id);
    if (!row) throw new Error("not claimed");
    expect(store.markFailed(row.id, "dead-worker", "timeout", "killed", Date.now())?.status).toBe("failed");
    expect(w.ledger.balance(u)).toBe(2);

    const restarted = w.jobs();
    restarted.recover();
    restarted.recover(); // a second restart writes nothing more
    expect(w.ledger.balance(u)).toBe(3);
    const rows = ledgerRows(w.dbh).filter((r) => r.ref === v.id);
    expect(rows.map((r) => [r.reason, r.delta, r.note])).toEqual([
      ["charge", -1, null],
      ["refund", 1, "timeout"],
    ]);
  });
});
