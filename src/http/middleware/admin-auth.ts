// Guards every /api/admin/* and /admin* route. Admins are: a session or an API key of an `is_admin`
// account, and the operator's scripts with `Authorization: Bearer <MM_ADMIN_TOKEN>`. Everyone else — a
// guest, a signed-in user, a user's API key, a wrong token — gets exactly the answer of an unknown route
// (the app's notFound), so nothing tells a visitor that an admin panel exists.
//
// CSRF: the app-wide origin guard refuses a foreign Origin on every state-changing request, and the
// caller middleware refuses a cookie-authenticated write that carries no Origin at all; both run before
// this guard, for admin routes as for any other.

import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ApiKeys, Auth } from "../../accounts";
import { notFound } from "../errors";
import { type CallerEnv, presented, presentedKey } from "./auth";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/**
 * Constant-time string comparison. Both sides are hashed first: timingSafeEqual needs equal lengths, and
 * comparing digests means neither the length nor any prefix of the secret shows in the timing.
 */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Who is acting on an admin route: the audit's actor ("user:<id>" or "http:admin") and the address. */
export type AdminActor = { actor: string; userId: number | null; via: "session" | "api_key" | "token" };
export type AdminEnv = { Variables: CallerEnv["Variables"] & { admin: AdminActor } };

export const TOKEN_ACTOR = "http:admin";

/** True when the request carries `Bearer <token>`; always compares, so a missing header takes as long. */
function bearerIsToken(c: Context, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "");
  const same = tokensEqual(m?.[1] ?? "", token || "\0unset");
  return same && m !== null && token !== "";
}

const userActor = (id: number, via: "session" | "api_key"): AdminActor => ({
  actor: `user:${id}`,
  userId: id,
  via,
});

/** /api/admin/*: the caller middleware has already resolved the session or key (after CORS and client IP). */
export function adminAuth({ token }: { token: string }): MiddlewareHandler<AdminEnv> {
  return async function adminApiGuard(c, next) {
    const caller = c.get("caller");
    const isToken = bearerIsToken(c, token);
    if (caller?.kind === "user" && caller.isAdmin && caller.via !== "bot")
      c.set("admin", userActor(caller.userId, caller.via));
    else if (isToken) c.set("admin", { actor: TOKEN_ACTOR, userId: null, via: "token" });
    else return notFound(c);
    await next();
  };
}

export type AdminPageAuthOptions = { token: string; auth?: Auth; keys?: ApiKeys };

/**
 * /admin* (pages and their scripts): no caller middleware runs outside /api, so the session cookie (or a
 * bearer session, an API key, the token) is resolved here. Any failure to resolve — unknown, expired,
 * banned, revoked — is simply "not an admin", answered as an unknown route.
 */
export function adminPageAuth({ token, auth, keys }: AdminPageAuthOptions): MiddlewareHandler<AdminEnv> {
  const resolve = (c: Context): AdminActor | undefined => {
    if (bearerIsToken(c, token)) return { actor: TOKEN_ACTOR, userId: null, via: "token" };
    const key = keys ? presentedKey(c) : undefined;
    if (keys && key) {
      try {
        const { user } = keys.resolve(key);
        return user.isAdmin ? userActor(user.id, "api_key") : undefined;
      } catch {
        return undefined;
      }
    }
    const p = presented(c);
    const found = p && auth ? auth.resolve(p.token) : undefined;
    return found?.user.isAdmin ? userActor(found.user.id, "session") : undefined;
  };
  return async function adminPageGuard(c, next) {
    const admin = resolve(c);
    if (!admin) return notFound(c);
    c.set("admin", admin);
    c.header("Cache-Control", "no-store");
    c.header("X-Robots-Tag", "noindex");
    await next();
  };
}
