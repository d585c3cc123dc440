// /api/auth/*: register, login, logout, me, change-password. The caller middleware has already resolved
// the session; these routes only call the auth service and build answers from auth-schemas.ts.
//
// Registration without SMTP (no verification mail can be sent): a new e-mail creates the account and
// signs in (Set-Cookie); a known e-mail gets the same 202 and the same body, no cookie and no change.
// Both pay one argon2 hash, so status, body and time match. What still differs is the cookie — the same
// fact "can I sign in with this password" that any register-then-login reveals; closing it needs
// e-mail verification (register would then always answer "check your mail").
import { type Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import {
  type Auth,
  ChangePasswordInput,
  LoginInput,
  RegisterInput,
  type RequestMeta,
  type SessionGrant,
} from "../../accounts";
import { AppError } from "../../errors";
import { errorMessage } from "../../i18n";
import { langOf } from "../errors";
import { type CallerEnv, SESSION_COOKIE, type Session } from "../middleware/auth";
import { meView, OkSchema, RegisterAcceptedSchema, SessionSchema } from "./auth-schemas";
import type { RouteDoc } from "./openapi";
import { v } from "./validate";

export type AuthRoutesDeps = {
  auth: Auth;
  publicUrl: string;
  balanceOf?: (userId: number) => number;
  /** True when registration signs no one in and answers "check your mail" (SMTP configured). */
  verifyByMail?: boolean;
};

/** Who is asking, for limits, logs and the links in mails (MM_PUBLIC_URL, else the request's origin). */
export const requestMeta = (c: Context<CallerEnv>, publicUrl: string): RequestMeta => ({
  ip: c.get("clientIp") ?? "unknown",
  userAgent: c.req.header("user-agent") ?? null,
  lang: langOf(c),
  baseUrl: publicUrl || new URL(c.req.url).origin,
});

export function authRoutes({ auth, publicUrl, balanceOf = () => 0, verifyByMail = false }: AuthRoutesDeps) {
  const secure = publicUrl.startsWith("https:");
  const r = new Hono<CallerEnv>();
  const meta = (c: Context<CallerEnv>) => requestMeta(c, publicUrl);
  const sessionOf = (c: { get(k: "session"): Session | undefined }): Session => {
    const s = c.get("session");
    if (!s) throw new AppError("session_required", 401);
    return s;
  };
  const sendSession = (c: Parameters<typeof setCookie>[0], g: SessionGrant) =>
    setCookie(c, SESSION_COOKIE, g.token, {
      httpOnly: true,
      sameSite: "Lax",
      secure,
      path: "/",
      expires: new Date(g.expiresAt),
    });

  r.post("/api/auth/register", v("json", RegisterInput), async (c) => {
    const g = await auth.register(c.req.valid("json"), meta(c));
    if (g) sendSession(c, g);
    c.header("Cache-Control", "no-store");
    return c.json(
      RegisterAcceptedSchema.parse({
        status: "accepted",
        message: errorMessage(langOf(c), verifyByMail ? "register_check_mail" : "register_accepted"),
      }),
      202,
    );
  });

  r.post("/api/auth/login", v("json", LoginInput), async (c) => {
    const g = await auth.login(c.req.valid("json"), meta(c));
    sendSession(c, g);
    c.header("Cache-Control", "no-store");
    return c.json(
      SessionSchema.parse({
        token: g.token,
        expires_at: g.expiresAt,
        user: meView(g.user, balanceOf(g.user.id)),
      }),
    );
  });

  r.post("/api/auth/logout", (c) => {
    const s = c.get("session");
    if (s) auth.logout(s.token);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure });
    return c.json(OkSchema.parse({ ok: true }));
  });

  // A session or an API key: both are the signed-in user.
  r.get("/api/auth/me", (c) => {
    c.header("Cache-Control", "no-store");
    const user = c.get("account");
    if (!user) throw new AppError("session_required", 401);
    return c.json(meView(user, balanceOf(user.id)));
  });

  r.post("/api/auth/change-password", v("json", ChangePasswordInput), async (c) => {
    await auth.changePassword(sessionOf(c), c.req.valid("json"), meta(c));
    return c.json(OkSchema.parse({ ok: true }));
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const AUTH_DOCS: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/auth/register",
    summary:
      "Create an account: the same 202 for a known e-mail (without SMTP a new one is signed in by cookie; with SMTP it gets a confirmation mail)",
    body: "json",
    input: RegisterInput,
    ok: { 202: "RegisterAccepted" },
  },
  {
    method: "POST",
    path: "/api/auth/login",
    summary: "Sign in: the session token in the body and the mm_session cookie",
    body: "json",
    input: LoginInput,
    ok: { 200: "Session" },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    summary: "End this session",
    access: "session",
    ok: { 200: "Ok" },
  },
  {
    method: "GET",
    path: "/api/auth/me",
    summary: "The signed-in user",
    access: "session",
    ok: { 200: "Me" },
  },
  {
    method: "POST",
    path: "/api/auth/change-password",
    summary: "Change the password; every other session of the user ends",
    access: "session",
    body: "json",
    input: ChangePasswordInput,
    ok: { 200: "Ok" },
  },
];
