// The token ledger as the job system's BillingSeam, plus the operator's adjustments. Every movement is
// one append-only row; (reason, ref) makes a charge, a refund or an adjustment happen once however often
// it is attempted. The balance is the sum of the rows; the store keeps that sum per user in the same
// transaction as each row (so a read does not sum a million rows), and a property test proves it never drifts.

import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import type { BillableJob, BillingSeam, RefundReason } from "./seam";
import type { LedgerRow, LedgerStore, NewLedgerEntry } from "./store";

export type LedgerDeps = {
  store: LedgerStore;
  /** Tokens a job costs its owner (0: free, nothing written). */
  costOf: (job: BillableJob) => number;
  now?: () => number;
};

/**
 * An operator's adjustment. `ref` (the admin panel's form id) makes it happen once: a double click or a
 * retried request finds the first row and writes nothing (`applied` false); without it every call is new.
 */
export type Adjustment = { note: string; actor: string; ref?: string };
/** A movement that happens once: (reason, ref) is unique in the ledger. */
export type OnceEntry = { reason: string; ref: string; actor: string; note?: string };

export interface Ledger extends BillingSeam {
  balance(userId: number): number;
  /** The user's rows, newest first. */
  rows(userId: number, limit?: number): LedgerRow[];
  /** One page of the user's rows, newest first, older than row `beforeId`; `next` is null on the last. */
  page(userId: number, limit: number, beforeId?: number): { rows: LedgerRow[]; next: number | null };
  /** Adds tokens (n > 0). */
  credit(userId: number, n: number, a: Adjustment): AdjustResult;
  /** Takes tokens (n > 0); throws insufficient_tokens (403) rather than go below zero. */
  debit(userId: number, n: number, a: Adjustment): AdjustResult;
  /**
   * Writes one row under (reason, ref) unless it exists (false then): payment credits and their reversals,
   * whose ref is the provider's payment id. Joins the caller's transaction when one is open.
   */
  post(e: Omit<NewLedgerEntry, "createdAt">): boolean;
  /** Adds n > 0 tokens once per (reason, ref): false when that entry already exists (a bonus, retried). */
  grantOnce(userId: number, n: number, e: OnceEntry): boolean;
  /** Takes up to n tokens once per (reason, ref), never below zero; the tokens taken (0 when done before). */
  takeOnce(userId: number, n: number, e: OnceEntry): number;
  /**
   * Moves the whole balance of `from` to `to` once per ref: rows `<reason>_out` on `from` and `<reason>_in`
   * on `to`, in one transaction. The tokens moved (0 when nothing to move or moved before).
   */
  moveAll(from: number, to: number, e: OnceEntry): number;
  /** The delta of the entry (reason, ref), 0 when it does not exist. */
  amountOf(reason: string, ref: string): number;
  /** The entry (reason, ref) itself, if it exists (an order's credit and reversals, for the admin panel). */
  entry(reason: string, ref: string): LedgerRow | undefined;
}

/** The adjustment's row, the balance after it, and whether this call wrote it (false: the ref existed). */
export type AdjustResult = { row: LedgerRow; balance: number; applied: boolean };

const ADJUSTMENTS = ["admin_credit", "admin_debit"] as const;

export const CHARGE = "charge";
export const REFUND = "refund";

export function createLedger({ store, costOf, now = Date.now }: LedgerDeps): Ledger {
  const insufficient = (balance: number, cost: number) =>
    new AppError("insufficient_tokens", 403, { balance, cost });

  function adjust(userId: number, n: number, reason: string, a: Adjustment) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new AppError("invalid_amount", 400, { amount: n });
    const delta = reason === "admin_debit" ? -n : n;
    const ref = a.ref ? `adj:${a.ref}` : `adj:${randomUUID()}`;
    // One ref is one adjustment, credit or debit: a replay of either finds it.
    const replay = (): AdjustResult | undefined => {
      for (const r of ADJUSTMENTS) {
        const done = store.find(r, ref);
        if (done) {
          if (done.userId !== userId || done.delta !== delta)
            throw new AppError("adjustment_ref_conflict", 409, { ref: a.ref ?? ref });
          return { row: done, balance: store.balance(done.userId), applied: false };
        }
      }
    };
    return store.atomically((): AdjustResult => {
      const done = replay();
      if (done) return done;
      const before = store.balance(userId);
      if (before + delta < 0) throw insufficient(before, -delta);
      // Another node may have written this ref since the look-up (Postgres): its row is the answer.
      if (!store.append({ userId, delta, reason, ref, actor: a.actor, note: a.note, createdAt: now() })) {
        const raced = replay();
        if (raced) return raced;
      }
      const row = store.find(reason, ref);
      if (!row) throw new Error("ledger: adjustment row missing after insert");
      return { row, balance: before + delta, applied: true };
    });
  }

  return {
    reserve(job) {
      const cost = job.userId === null ? 0 : costOf(job);
      if (cost <= 0 || job.userId === null) return 0;
      const userId = job.userId;
      return store.atomically(() => {
        // A second reserve of the same job (never expected) does not charge twice.
        const already = store.find(CHARGE, job.publicId);
        if (already) return -already.delta;
        const balance = store.balance(userId);
        if (balance < cost) throw insufficient(balance, cost);
        store.append({
          userId,
          delta: -cost,
          reason: CHARGE,
          ref: job.publicId,
          actor: "system",
          createdAt: now(),
        });
        return cost;
      });
    },
    refund(job, reason: RefundReason) {
      if (job.cost <= 0 || job.userId === null) return;
      store.atomically(() => {
        // The refund gives back what was charged (the row, not the caller's figure), at most once.
        const charge = store.find(CHARGE, job.publicId);
        if (!charge || charge.delta >= 0) return;
        // To the job's current owner: a job re-pointed by a Telegram link refunds the merged account.
        store.append({
          userId: job.userId ?? charge.userId,
          delta: -charge.delta,
          reason: REFUND,
          ref: job.publicId,
          actor: "system",
          note: reason,
          createdAt: now(),
        });
      });
    },
    refundMissing(job) {
      const charge = store.find(CHARGE, job.publicId);
      return charge !== undefined && charge.delta < 0 && store.find(REFUND, job.publicId) === undefined;
    },
    balance: (userId) => store.balance(userId),
    rows: (userId, limit = 100) => store.listOfUser(userId, limit),
    page(userId, limit, beforeId) {
      // One row more than the page tells whether another page follows.
      const rows = store.pageOfUser(userId, limit + 1, beforeId);
      const page = rows.slice(0, limit);
      return { rows: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
    credit: (userId, n, a) => adjust(userId, n, "admin_credit", a),
    debit: (userId, n, a) => adjust(userId, n, "admin_debit", a),
    post: (e) => store.append({ ...e, createdAt: now() }),
    grantOnce(userId, n, e) {
      if (!Number.isSafeInteger(n) || n <= 0) return false;
      return store.atomically(() => store.append({ userId, delta: n, ...e, createdAt: now() }));
    },
    takeOnce(userId, n, e) {
      return store.atomically(() => {
        if (store.find(e.reason, e.ref)) return 0;
        const take = Math.min(n, store.balance(userId));
        if (take <= 0) return 0;
        return store.append({ userId, delta: -take, ...e, createdAt: now() }) ? take : 0;
      });
    },
    moveAll(from, to, e) {
      if (from === to) return 0;
      return store.atomically(() => {
        // Both balances read (on Postgres: locked) lower user id first, before either row is written: two
        // opposite moves at once then queue on the same first row instead of each holding its `from` and
        // waiting for the other's (a deadlock Postgres ends by aborting one).
        const [lo, hi] = from < to ? [from, to] : [to, from];
        const low = store.balance(lo);
        const high = store.balance(hi);
        const amount = from === lo ? low : high;
        if (amount <= 0) return 0;
        const at = now();
        const out = { ...e, reason: `${e.reason}_out` };
        if (!store.append({ userId: from, delta: -amount, ...out, createdAt: at })) return 0;
        store.append({ userId: to, delta: amount, ...e, reason: `${e.reason}_in`, createdAt: at });
        return amount;
      });
    },
    amountOf: (reason, ref) => store.find(reason, ref)?.delta ?? 0,
    entry: (reason, ref) => store.find(reason, ref),
  };
}
