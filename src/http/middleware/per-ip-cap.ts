// Caps how many of one kind of request a client IP may have open at once (SSE streams, uploads), answered
// with 429 + Retry-After and the cap's own code. In memory on purpose: open requests die with the process.
import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors";
import type { ClientIpEnv } from "./client-ip";

export type PerIpCapOptions = {
  max: number;
  /** Which requests the cap counts. */
  applies: (c: Context) => boolean;
  /** Error code (= i18n key) of the 429; its message gets {max} and {retry_after}. */
  code: string;
  retryAfterS: number;
  /**
   * "handler": the slot is held until the handler answered (uploads are read inside it);
   * "body": until the response body has been sent or the client went away (SSE streams).
   */
  hold: "handler" | "body";
};

export function perIpCap(o: PerIpCapOptions): MiddlewareHandler<ClientIpEnv> {
  const open = new Map<string, number>();
  const acquire = (ip: string): (() => void) => {
    open.set(ip, (open.get(ip) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (open.get(ip) ?? 1) - 1;
      if (n <= 0) open.delete(ip);
      else open.set(ip, n);
    };
  };
  return async function perIpCapMiddleware(c, next) {
    if (!o.applies(c)) return next();
    const ip = c.get("clientIp") ?? "unknown";
    if ((open.get(ip) ?? 0) >= o.max) {
      c.header("Retry-After", String(o.retryAfterS));
      return errorResponse(c, 429, o.code, { max: o.max, retry_after: o.retryAfterS });
    }
    const release = acquire(ip);
    try {
      await next();
    } catch (err) {
      release();
      throw err;
    }
    const body = o.hold === "body" ? c.res.body : null;
    if (!body) return release();
    c.req.raw.signal.addEventListener("abort", release, { once: true });
    c.res = new Response(releasingStream(body, release), c.res);
  };
}

/** Passes `body` through and calls `release` once it ends, fails or is cancelled by the client. */
function releasingStream(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        release();
        controller.error(err);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}
