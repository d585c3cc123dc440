// Resolves the caller of every /api/* request once: `Authorization: Bearer <session>` or the mm_session
// cookie → a user; otherwise a guest keyed by client IP. Puts `caller` (and the session, for the auth
// routes) on the context. Nothing is cached: each request reads the session and the ban from the database.
//
// CSRF: the app-wide origin guard already refuses a foreign Origin on state-changing requests. A request
// authenticated by the cookie must in addition *carry* an Origin (browsers send one on every POST), so a
// cookie never changes state without the same-origin proof; Bearer clients need no Origin.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { type Auth, type AuthUser, type Caller, guestCaller, userOwnerKey } from "../../accounts";
import { errorResponse } from "../errors";
import type { ClientIpEnv } from "./client-ip";

export const SESSION_COOKIE = "mm_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Session = { user: AuthUser; sessionId: number; token: string; via: "cookie" | "bearer" };
export type CallerEnv = { Variables: ClientIpEnv["Variables"] & { caller: Caller; session?: Session } };

/** The session token a request presents, and how. An `mm_…` bearer is an API key, not a session. */
function presented(c: Context): { token: string; via: "cookie" | "bearer" } | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "");
  if (m?.[1] && !m[1].startsWith("mm_")) return { token: m[1], via: "bearer" };
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { token: cookie, via: "cookie" } : undefined;
}

/** Without `auth` (sign-in not wired) every caller is a guest. */
export function callerMiddleware(auth?: Auth): MiddlewareHandler<CallerEnv> {
  return async function callerResolve(c, next) {
    const ip = c.get("clientIp") ?? "unknown";
    const p = presented(c);
    const found = p && auth ? auth.resolve(p.token) : undefined;
    if (p && found) {
      if (p.via === "cookie" && !SAFE_METHODS.has(c.req.method) && c.req.header("origin") === undefined)
        return errorResponse(c, 403, "origin_required");
      c.set("session", { ...found, ...p });
      c.set("caller", {
        kind: "user",
        userId: found.user.id,
        tier: found.user.tier,
        isAdmin: found.user.isAdmin,
        via: "session",
        ownerKey: userOwnerKey(found.user.id),
      });
    } else c.set("caller", guestCaller(ip));
    await next();
  };
}
