// Refuses state-changing requests (uploads above all) sent by a browser from another site: a page anywhere
// can POST a multipart form to us without a CORS preflight, and we would store the file and queue the job
// even though that page cannot read the answer. Allowed: our own origin (the request's Host, or
// MM_PUBLIC_URL behind a proxy) and MM_CORS_ORIGINS. Requests without Origin (curl, API clients) pass.
// Runs before any route, so a refused upload has not written a byte.
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginGuardOptions = { publicUrl: string; corsOrigins: readonly string[] };

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** True when a request from `origin` to `requestUrl` may change state. Pure, for tests. */
export function originAllowed(origin: string, requestUrl: string, allowed: ReadonlySet<string>): boolean {
  if (allowed.has(origin)) return true;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  // Same host as the request: a TLS-terminating proxy makes us see http:// where the browser has https://.
  return from.host === new URL(requestUrl).host;
}

export function originGuard({ publicUrl, corsOrigins }: OriginGuardOptions): MiddlewareHandler {
  const allowed = new Set(
    [publicUrl, ...corsOrigins].map((u) => (u ? originOf(u) : null)).filter((o): o is string => !!o),
  );
  return async function originGuardMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (origin === undefined || SAFE_METHODS.has(c.req.method)) return next();
    if (originAllowed(origin, c.req.url, allowed)) return next();
    return errorResponse(c, 403, "origin_not_allowed", { origin: origin.slice(0, 100) });
  };
}
