// Gives every request an id (a sane incoming X-Request-Id is kept) and echoes it in the response.
import type { MiddlewareHandler } from "hono";

export type RequestIdEnv = { Variables: { requestId: string } };

const SAFE = /^[A-Za-z0-9._-]{1,64}$/;

export function requestId(): MiddlewareHandler<RequestIdEnv> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const id =
      incoming && SAFE.test(incoming) ? incoming : crypto.randomUUID().replaceAll("-", "").slice(0, 16);
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  };
}
