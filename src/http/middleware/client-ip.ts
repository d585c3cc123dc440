// Works out the client's IP once per request. X-Forwarded-For is believed only when the socket peer is one
// of MM_TRUSTED_PROXIES, and then the right-most address that is not itself a trusted proxy wins
// (left-most entries are whatever the client chose to send).
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";

export type ClientIpEnv = { Variables: { clientIp: string } };

const normalise = (ip: string) =>
  ip
    .trim()
    .replace(/^::ffff:/, "")
    .toLowerCase();

function peerAddress(c: Context): string {
  try {
    return normalise(getConnInfo(c).remote.address ?? "unknown");
  } catch {
    // app.request() in tests has no socket.
    return "unknown";
  }
}

/** The client address given the socket peer and the X-Forwarded-For header. Pure, for tests. */
export function resolveClientIp(
  peer: string,
  forwardedFor: string | undefined,
  trusted: ReadonlySet<string>,
): string {
  if (!trusted.has(peer) || !forwardedFor) return peer;
  const hops = forwardedFor.split(",").map(normalise).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop;
  }
  return hops[0] ?? peer;
}

export function clientIp({ trustedProxies = [] as readonly string[] } = {}): MiddlewareHandler<ClientIpEnv> {
  const trusted = new Set(trustedProxies.map(normalise));
  return async function clientIpMiddleware(c, next) {
    c.set("clientIp", resolveClientIp(peerAddress(c), c.req.header("x-forwarded-for"), trusted));
    await next();
  };
}
