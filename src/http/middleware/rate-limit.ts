// Per-IP request limit for anonymous use: a fixed one-minute window per address, answered with 429 and
// Retry-After. In memory on purpose: a restart forgetting the counts is harmless.
import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors";
import type { ClientIpEnv } from "./client-ip";

export type RateLimitOptions = {
  perMinute: number;
  /** Requests this returns true for are not counted (e.g. SSE streams). */
  exempt?: (c: Context) => boolean;
  now?: () => number;
};

export function rateLimit({
  perMinute,
  exempt = () => false,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler<ClientIpEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return async function rateLimitMiddleware(c, next) {
    if (perMinute <= 0 || exempt(c)) return next();
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [ip, w] of windows) if (t - w.start >= 60_000) windows.delete(ip);
      lastSweep = t;
    }
    const ip = c.get("clientIp") ?? "unknown";
    let w = windows.get(ip);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      windows.set(ip, w);
    }
    w.count++;
    if (w.count > perMinute) {
      const retry = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
      c.header("Retry-After", String(retry));
      return errorResponse(c, 429, "rate_limited", { retry_after: retry });
    }
    await next();
  };
}
