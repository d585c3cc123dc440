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
