// Turns every failure into `{ "error": { "code", "message" } }` in the caller's language.
// AppError → its status and translated code; anything else → 500 internal_error, cause only in the log.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isAppError } from "../errors";
import { hasMessage, type Lang, pickLang, t } from "../i18n";
import { type Logger, redactUrl } from "../log";

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

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
  details?: unknown,
): Response {
  const lang = langOf(c);
  const message = hasMessage(code) ? t(lang, code, params) : t(lang, "internal_error");
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status);
}

export function onError(log: Logger): ErrorHandler {
  return (err, c) => {
    if (isAppError(err)) {
      if (err.status >= 500)
        log.error("http_error", err.code, {
          path: redactUrl(c.req.path),
          cause: err.cause,
          request_id: c.get("requestId"),
        });
      return errorResponse(c, err.status, err.code, err.params);
    }
    // Hono's own HTTPException (e.g. from bodyLimit) carries a status.
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // No limit is known here (our own limits answer with body_too_large and the number themselves).
      const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "invalid_request";
      return errorResponse(c, status as ContentfulStatusCode, code, { details: err.message });
    }
    log.error("http_unhandled", err.message, {
      path: redactUrl(c.req.path),
      stack: err.stack,
      request_id: c.get("requestId"),
    });
    return errorResponse(c, 500, "internal_error");
  };
}

export const notFound: NotFoundHandler = (c) => errorResponse(c, 404, "not_found", { path: c.req.path });
