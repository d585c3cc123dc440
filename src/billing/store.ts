// The ledger store: every read and write of the ledger table, as one narrow interface. The SQLite
// implementation lives in ./sqlite/; a Postgres one will implement the same interface, so nothing here
// names a driver type. Rows are append-only: nothing updates or deletes them.

import type { schema } from "../db";

export type LedgerRow = typeof schema.ledger.$inferSelect;

export type NewLedgerEntry = {
  userId: number;
  delta: number;
  /** "charge" | "refund" (ref = job public id), "admin_credit" | "admin_debit" (ref unique per action). */
  reason: string;
  ref: string;
  actor: string;
  note?: string | null;
  createdAt: number;
};

export interface LedgerStore {
  /** Sum of the user's rows (0 without rows); kept by `append`, so reading it does not scan the rows. */
  balance(userId: number): number;
  /**
   * Appends a row and adds its delta to the user's balance, both in one transaction (the caller's when
   * open); false (nothing written, balance unchanged) when a row with the same (reason, ref) exists.
   */
  append(e: NewLedgerEntry): boolean;
  /** The row with this (reason, ref), if any. */
  find(reason: string, ref: string): LedgerRow | undefined;
  /** The user's rows, newest first. */
  listOfUser(userId: number, limit: number): LedgerRow[];
  /** The user's rows newest first, `limit` of them with an id below `beforeId` (keyset pages). */
  pageOfUser(userId: number, limit: number, beforeId?: number): LedgerRow[];
  /**
   * Runs `fn` in one write transaction (balance check + append are atomic), or inside the caller's when
   * one is open on this connection (the job insert's, so a charge commits or rolls back with its job).
   */
  atomically<T>(fn: () => T): T;
}
