// Resolves the caller of every /api/* request once: an API key (`Authorization: Bearer mm_…` or
// `X-API-Key: mm_…`) → its user, via "api_key"; else `Authorization: Bearer <session>` or the mm_session
// cookie → a user, via "session"; otherwise a guest keyed by client IP. Puts `caller` and `account` (the
// signed-in user's sign-in view) on the context, plus the session for the auth routes. Nothing is cached:
// each request reads the key or session and the ban from the database.
//
// A presented API key never falls back to guest: unknown or revoked → 401 invalid_api_key, banned → 403
// account_banned, a tier without keys → 403 tier_forbids_api_keys, so a client learns at once why.
//
// CSRF: the app-wide origin guard already refuses a foreign Origin on state-changing requests. A request
// authenticated by the cookie must in addition *carry* an Origin (browsers send one on every POST), so a
// cookie never changes state without the same-origin proof; Bearer and key clients need no Origin.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import {
  type ApiKeys,
  type Auth,
  type AuthUser,
  type Caller,
  guestCaller,
  isApiKey,
  userOwnerKey,
} from "../../accounts";
import { errorResponse } from "../errors";
import type { ClientIpEnv } from "./client-ip";

export const SESSION_COOKIE = "mm_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Session = { user: AuthUser; sessionId: number; token: string; via: "cookie" | "bearer" };
export type CallerEnv = {
  Variables: ClientIpEnv["Variables"] & { caller: Caller; session?: Session; account?: AuthUser };
};

/** The caller the middleware resolved; where it did not run, a guest by client IP (as it would resolve). */
export const callerOf = (c: Context): Caller =>
  (c.get("caller") as Caller | undefined) ??
  guestCaller((c.get("clientIp") as string | undefined) ?? "unknown");

const bearerOf = (c: Context) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "")?.[1];

/** The API key a request presents: an `mm_…` bearer, or the X-API-Key header. */
export function presentedKey(c: Context): string | undefined {
  const b = bearerOf(c);
  if (b && isApiKey(b)) return b;
  return c.req.header("x-api-key")?.trim() || undefined;
}

/** The session token a request presents, and how. An `mm_…` bearer is an API key, not a session. */
export function presented(c: Context): { token: string; via: "cookie" | "bearer" } | undefined {
  const b = bearerOf(c);
  if (b && !isApiKey(b)) return { token: b, via: "bearer" };
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { token: cookie, via: "cookie" } : undefined;
}

const userCaller = (u: AuthUser, via: "session" | "api_key"): Caller => ({
  kind: "user",
  userId: u.id,
  tier: u.tier,
  isAdmin: u.isAdmin,
  via,
  ownerKey: userOwnerKey(u.id),
});

/** Without `auth` (sign-in not wired) every caller is a guest; without `keys` no key is accepted. */
export function callerMiddleware(auth?: Auth, keys?: ApiKeys): MiddlewareHandler<CallerEnv> {
  return async function callerResolve(c, next) {
    const ip = c.get("clientIp") ?? "unknown";
    const key = keys ? presentedKey(c) : undefined;
    if (keys && key) {
      const { user } = keys.resolve(key); // throws the 401/403 named above
      c.set("account", user);
      c.set("caller", userCaller(user, "api_key"));
      return next();
    }
    const p = presented(c);
    const found = p && auth ? auth.resolve(p.token) : undefined;
    if (p && found) {
      if (p.via === "cookie" && !SAFE_METHODS.has(c.req.method) && c.req.header("origin") === undefined)
        return errorResponse(c, 403, "origin_required");
      c.set("session", { ...found, ...p });
      c.set("account", found.user);
      c.set("caller", userCaller(found.user, "session"));
    } else c.set("caller", guestCaller(ip));
    await next();
  };
}
