// Transactions and constraint errors as the SQLite stores see them.

import { type DbHandle, withImmediateTx } from "../../db";

/** Runs fn in one write transaction, or inside the one already open (a payment credited in the same commit). */
export const atomicallyOn =
  (h: DbHandle) =>
  <T>(fn: () => T): T =>
    h.sqlite.inTransaction ? fn() : withImmediateTx(h.sqlite, fn);

/** A UNIQUE constraint refused the write (bun:sqlite names it in `code`). */
export const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: string } | null)?.code === "SQLITE_CONSTRAINT_UNIQUE" || String(err).includes("UNIQUE");
