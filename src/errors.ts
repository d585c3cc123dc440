// One error type for every folder: a stable snake_case `code` (also the i18n key), an HTTP status,
// params for the message template, and a private `cause` that is logged but never shown to users.

/** HTTP statuses AppError may carry (what Hono's `c.json` accepts for errors). */
export type ErrorStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 408
  | 409
  | 410
  | 413
  | 415
  | 422
  | 429
  | 500
  | 502
  | 503
  | 504
  | 507;

export type ErrorParams = Record<string, string | number>;

/**
 * An expected failure. Throw it from services; the edges (HTTP, bot, CLI) translate `code` with the
 * i18n catalogue in the caller's language. `cause` stays in the logs.
 *
 * ```ts
 * throw new AppError("file_too_large", 413, { limit_mb: 800 });
 * ```
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: ErrorStatus;
  readonly params: ErrorParams;

  constructor(code: string, status: ErrorStatus = 400, params: ErrorParams = {}, cause?: unknown) {
    super(code, cause === undefined ? undefined : { cause });
    this.name = "AppError";
    this.code = code;
    this.status = status;
    this.params = params;
  }
}

/** True for AppError instances (also across module copies, by shape). */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (err instanceof Error && err.name === "AppError" && "code" in err);
}

/** A short, log-safe description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The errno / SQLite codes that mean "the disk (or the database file) has no room left". */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL", "53100" /* Postgres disk_full */]);
/** SQLite's "another connection holds the lock" codes (after busy_timeout has run out). */
const BUSY_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

/** Walks `err` and its causes (bounded), yielding each error-like object. */
function* causes(err: unknown): Generator<{ code?: unknown; message?: unknown; stderrTail?: unknown }> {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur && typeof cur === "object"; i++) {
    yield cur as { code?: unknown };
    cur = (cur as { cause?: unknown }).cause;
  }
}

/**
 * What kind of storage failure `err` is, if any: "full" (ENOSPC, SQLITE_FULL, an ffmpeg that reported
 * "No space left on device") or "busy" (the SQLite write lock stayed taken past busy_timeout). Looks
 * through `cause` chains, so an AppError wrapping one classifies too.
 */
export function storageFault(err: unknown): "full" | "busy" | null {
  for (const e of causes(err)) {
    // SQLite's extended codes (SQLITE_BUSY_SNAPSHOT, …) classify as their primary code.
    const code = typeof e.code === "string" ? e.code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1") : "";
    if (FULL_CODES.has(code)) return "full";
    if (BUSY_CODES.has(code)) return "busy";
    const text = `${typeof e.message === "string" ? e.message : ""} ${typeof e.stderrTail === "string" ? e.stderrTail : ""}`;
    if (/No space left on device|database or disk is full/i.test(text)) return "full";
  }
  return null;
}

/**
 * The AppError an edge should answer for any thrown value: AppErrors as they are, a full disk as
 * `insufficient_storage` (507), a database locked past its timeout as `database_busy` (503), anything
 * else `internal_error` (500). The original stays as the private cause.
 */
export function toAppError(err: unknown): AppError {
  const fault = storageFault(err);
  // An AppError stands, unless it is a generic 500 hiding a storage fault (e.g. internal_error around ENOSPC).
  if (isAppError(err) && (err.status !== 500 || !fault)) return err;
  if (fault === "full") return new AppError("insufficient_storage", 507, {}, err);
  if (fault === "busy") return new AppError("database_busy", 503, {}, err);
  return new AppError("internal_error", 500, {}, err);
}
