// Caps the size of non-upload request bodies (JSON, forms). Upload routes count their own bytes while
// streaming to disk, so multipart bodies pass through. Hono's bodyLimit counts streamed bytes when there
// is no trustworthy Content-Length (chunked bodies), so a lying client cannot slip past.
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { errorResponse } from "../errors";

export function bodyLimit({ maxBytes = 64 * 1024 } = {}): MiddlewareHandler {
  const limited = honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      errorResponse(c, 413, "body_too_large", { limit_mb: Math.max(1, Math.round(maxBytes / 1048576)) }),
  });
  return async function bodyLimitMiddleware(c, next) {
    if (/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) return next();
    return limited(c, next);
  };
}
