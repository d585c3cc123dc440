// Guards /api/admin/*: a signed-in session of an `is_admin` account (the caller middleware resolved it),
// or the operator's fallback, a bearer token equal to MM_ADMIN_TOKEN. A session of any other account gets
// 403. Anyone else without a configured token gets 404 as if the routes did not exist, so an unconfigured
// server reveals nothing about them.

import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../errors";
import type { CallerEnv } from "./auth";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/**
 * Constant-time string comparison. Both sides are hashed first: timingSafeEqual needs equal lengths, and
 * comparing digests means neither the length nor any prefix of the secret shows in the timing.
 */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export type AdminAuthOptions = { token: string };

export function adminAuth({ token }: AdminAuthOptions): MiddlewareHandler<CallerEnv> {
  return async function adminAuthMiddleware(c, next) {
    // Only a session: an API key (or the bot) acting for an admin is not an admin console.
    const caller = c.get("caller");
    if (caller?.kind === "user" && caller.via === "session") {
      if (!caller.isAdmin) return errorResponse(c, 403, "admin_required");
      return next();
    }
    if (!token) return errorResponse(c, 404, "not_found", { path: c.req.path });
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "");
    // Compare even when the header is missing, so "no header" and "wrong token" take the same time.
    const ok = tokensEqual(m?.[1] ?? "", token) && m !== null;
    if (!ok) {
      c.header("WWW-Authenticate", 'Bearer realm="magic-master-admin"');
      return errorResponse(c, 401, "unauthorized");
    }
    await next();
  };
}
