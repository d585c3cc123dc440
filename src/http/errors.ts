// Turns every failure into `{ "error": { "code", "message" }, "detail": message }` in the caller's language.
// `detail` repeats the message because the original's clients show that field (FastAPI's shape).
// AppError → its status and translated code; a full disk → 507 insufficient_storage; the database locked
// past its busy timeout → 503 database_busy; anything else → 500 internal_error, cause only in the log.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { isAppError, storageFault, toAppError } from "../errors";
import { errorMessage, type Lang, pickLang } from "../i18n";
import { type Logger, redactUrl } from "../log";

export const ErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe("Stable snake_case code (also the i18n key)"),
    message: z.string().describe("The message in the caller's language"),
    resets_at: z
      .number()
      .int()
      .optional()
      .describe("A tier limit's refusal: when it resets (unix ms; Retry-After says the same in seconds)"),
  }),
  detail: z.string().describe("The same message, where the original's clients look for it"),
});
export type ErrorBody = z.infer<typeof ErrorSchema>;

/** The caller's language: `?lang=` wins, then Accept-Language. */
export function langOf(c: Context): Lang {
  const q = c.req.query("lang");
  if (q === "ru" || q === "en") return q;
  return pickLang(c.req.header("accept-language"));
}

/** Builds the JSON error response used by every route and middleware. */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  params: Record<string, string | number> = {},
): Response {
  const lang = langOf(c);
  const message = errorMessage(lang, code, params);
  const resetsAt = params.resets_at;
  const error = typeof resetsAt === "number" ? { code, message, resets_at: resetsAt } : { code, message };
  const body: ErrorBody = { error, detail: message };
  return c.json(body, status);
}

/** `noteFault` hears of storage faults met while answering (a full disk during an upload), for health. */
export function onError(log: Logger, noteFault?: (err: unknown) => void): ErrorHandler {
  return (thrown, c) => {
    if (storageFault(thrown)) noteFault?.(thrown);
    // Hono's own HTTPException (e.g. from bodyLimit) carries a status.
    const status = (thrown as { status?: unknown }).status;
    if (!isAppError(thrown) && typeof status === "number" && status >= 400 && status < 500) {
      // No limit is known here (our own limits answer with body_too_large and the number themselves).
      const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "invalid_request";
      return errorResponse(c, status as ContentfulStatusCode, code, { details: thrown.message });
    }
    const err = toAppError(thrown);
    if (err.code === "internal_error" && !isAppError(thrown))
      log.error("http_unhandled", thrown.message, {
        path: redactUrl(c.req.path),
        stack: thrown.stack,
        request_id: c.get("requestId"),
      });
    else if (err.status >= 500)
      log.error("http_error", err.code, {
        path: redactUrl(c.req.path),
        cause: err.cause,
        request_id: c.get("requestId"),
      });
    if (err.code === "database_busy") c.header("Retry-After", "5");
    else if (err.status === 429 && err.params.retry_after !== undefined)
      c.header("Retry-After", String(err.params.retry_after));
    return errorResponse(c, err.status, err.code, err.params);
  };
}

export const notFound: NotFoundHandler = (c) => errorResponse(c, 404, "not_found", { path: c.req.path });
