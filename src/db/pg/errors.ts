// Postgres errors as the stores see them. Callers written for SQLite recognise a constraint failure by
// bun:sqlite's `code` ("SQLITE_CONSTRAINT_UNIQUE", …) or by "UNIQUE" in the message; a Postgres
// violation carries the same code and wording (plus the SQLSTATE and constraint name), so those callers
// keep working unchanged on either backend. New code should call `isUniqueViolation`.

import type { PgErrorInfo } from "./worker";

/** Any failure reported by Postgres or the bridge; `sqlState` is the SQLSTATE when the server sent one. */
export class PgError extends Error {
  readonly code: string;
  readonly sqlState: string | undefined;
  readonly constraint: string | undefined;
  readonly detail: string | undefined;

  constructor(message: string, info: Partial<PgErrorInfo> & { code?: string } = {}) {
    super(message);
    this.name = "PgError";
    this.code = info.code ?? info.sqlState ?? "PG_ERROR";
    this.sqlState = info.sqlState;
    this.constraint = info.constraint;
    this.detail = info.detail;
  }
}

/** SQLSTATE → the bun:sqlite code and message prefix a SQLite caller already handles. */
const CONSTRAINTS: Record<string, { code: string; words: string }> = {
  "23505": { code: "SQLITE_CONSTRAINT_UNIQUE", words: "UNIQUE constraint failed" },
  "23503": { code: "SQLITE_CONSTRAINT_FOREIGNKEY", words: "FOREIGN KEY constraint failed" },
  "23502": { code: "SQLITE_CONSTRAINT_NOTNULL", words: "NOT NULL constraint failed" },
  "23514": { code: "SQLITE_CONSTRAINT_CHECK", words: "CHECK constraint failed" },
};

/** A constraint violation (unique, foreign key, not null, check), coded like SQLite's. */
export class PgConstraintError extends PgError {
  constructor(info: PgErrorInfo, mapped: { code: string; words: string }) {
    super(
      `${mapped.words}: ${info.constraint ?? info.table ?? "?"} (postgres ${info.sqlState}: ${info.message})`,
      {
        ...info,
        code: mapped.code,
      },
    );
    this.name = "PgConstraintError";
  }
}

/** The error to throw for what the worker reported. */
export function pgErrorOf(info: PgErrorInfo): PgError {
  const mapped = info.sqlState ? CONSTRAINTS[info.sqlState] : undefined;
  if (mapped) return new PgConstraintError(info, mapped);
  const state = info.sqlState ? ` (SQLSTATE ${info.sqlState})` : "";
  return new PgError(`postgres: ${info.message}${state}`, { ...info, code: info.sqlState ?? info.code });
}

/** True for a unique (or primary key) violation on either backend. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (err instanceof PgError && err.sqlState === "23505") ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}
