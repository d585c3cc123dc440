// Per-IP request limit for anonymous use: a fixed one-minute window per address, answered with 429 and
// Retry-After. In memory on purpose: a restart forgetting the counts is harmless.
import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors";
import type { ClientIpEnv } from "./client-ip";

export type RateLimitOptions = {
  /** A function when the limit is a runtime setting (read on every request). */
  perMinute: number | (() => number);
  /** Requests this returns true for are not counted. */
  exempt?: (c: Context) => boolean;
  /**
   * Requests counted only when they fail with a 4xx (e.g. SSE streams: watching one's job is long-lived
   * by design, but guessing ids through them costs like any request). Over the limit, such a failure
   * answers 429 instead. Checked before `exempt`.
   */
  countFailures?: (c: Context) => boolean;
  now?: () => number;
};

export function rateLimit({
  perMinute,
  exempt = () => false,
  countFailures = () => false,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler<ClientIpEnv> {
  const limit = typeof perMinute === "function" ? perMinute : () => perMinute;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  /** Counts one request of `ip`; the seconds to wait when it is over the limit, else null. */
  const hit = (ip: string): number | null => {
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [key, w] of windows) if (t - w.start >= 60_000) windows.delete(key);
      lastSweep = t;
    }
    let w = windows.get(ip);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      windows.set(ip, w);
    }
    w.count++;
    return w.count > limit() ? Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000)) : null;
  };
  const limited = (c: Context, retry: number) => {
    c.header("Retry-After", String(retry));
    return errorResponse(c, 429, "rate_limited", { retry_after: retry });
  };
  return async function rateLimitMiddleware(c, next) {
    if (limit() <= 0) return next();
    const ip = c.get("clientIp") ?? "unknown";
    if (countFailures(c)) {
      await next();
      if (c.res.status < 400 || c.res.status >= 500 || c.res.status === 429) return;
      const retry = hit(ip);
      if (retry !== null) c.res = limited(c, retry);
      return;
    }
    if (exempt(c)) return next();
    const retry = hit(ip);
    if (retry !== null) return limited(c, retry);
    await next();
  };
}
