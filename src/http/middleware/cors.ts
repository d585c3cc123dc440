// CORS for the API: only the origins listed in MM_CORS_ORIGINS (empty = same origin only, no headers).
import type { MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";

export function cors({ origins = [] as readonly string[] } = {}): MiddlewareHandler {
  if (origins.length === 0) {
    return async function sameOriginOnly(_c, next) {
      await next();
    };
  }
  const allowed = new Set(origins);
  return honoCors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-Job-Token", "Accept-Language", "Last-Event-ID"],
    exposeHeaders: ["Content-Disposition", "Content-Range", "Retry-After", "X-Request-Id"],
    maxAge: 600,
  });
}
