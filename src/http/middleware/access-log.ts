// One `http_request` log line per request (method, path, status, ms, request id) and the counters
// behind /api/metrics. Job tokens never reach the log: a handle "ID.TOKEN" in the path keeps only its id
// and secret-looking query values (`?token=`) are redacted (redactUrl in src/log).
import type { MiddlewareHandler } from "hono";
import { type Logger, redactUrl } from "../../log";
import type { RequestCounters } from "../deps";
import type { RequestIdEnv } from "./request-id";

export function accessLog(log: Logger, counters: RequestCounters): MiddlewareHandler<RequestIdEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    const status = c.res.status;
    counters.requests++;
    if (status >= 500) counters.errors5xx++;
    else if (status >= 400) counters.errors4xx++;
    const url = new URL(c.req.url);
    log.info("http_request", "", {
      method: c.req.method,
      path: redactUrl(url.pathname),
      ...(url.search ? { query: redactUrl(url.search).slice(1) } : {}),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      request_id: c.get("requestId"),
    });
  };
}
