// /api/auth/forgot-password, /reset-password, /verify-email: the e-mail flows (accounts/email-flows.ts).
// forgot-password answers the same 202 and body for every well-formed e-mail, before any mail is sent.
// verify-email is the link in the mail: a browser opening it (a page navigation, Accept: text/html) is
// sent on to the /verify page with the outcome; API clients get the JSON answer.
import { type Context, Hono } from "hono";
import { type EmailFlows, ForgotInput, ResetInput, VerifyQuery } from "../../accounts";
import { isAppError } from "../../errors";
import { errorMessage } from "../../i18n";
import { langOf } from "../errors";
import type { CallerEnv } from "../middleware/auth";
import { requestMeta } from "./auth";
import { AcceptedSchema, DoneSchema } from "./auth-schemas";
import type { RouteDoc } from "./openapi";
import { v } from "./validate";

export function authMailRoutes({ mail, publicUrl }: { mail: EmailFlows; publicUrl: string }) {
  const r = new Hono<CallerEnv>();

  r.post("/api/auth/forgot-password", v("json", ForgotInput), (c) => {
    mail.forgot(c.req.valid("json").email, requestMeta(c, publicUrl));
    c.header("Cache-Control", "no-store");
    return c.json(
      AcceptedSchema.parse({ status: "accepted", message: errorMessage(langOf(c), "forgot_accepted") }),
      202,
    );
  });

  r.post("/api/auth/reset-password", v("json", ResetInput), async (c) => {
    const body = c.req.valid("json");
    await mail.reset(body.token, body.new_password);
    return c.json(DoneSchema.parse({ ok: true, message: errorMessage(langOf(c), "password_reset_done") }));
  });

  r.get("/api/auth/verify-email", v("query", VerifyQuery), (c) => {
    if (isPageNavigation(c))
      return verifyPage(c, () => mail.verify(c.req.valid("query").token, requestMeta(c, publicUrl)));
    mail.verify(c.req.valid("query").token, requestMeta(c, publicUrl));
    c.header("Cache-Control", "no-store");
    return c.json(DoneSchema.parse({ ok: true, message: errorMessage(langOf(c), "email_verified_done") }));
  });
  return r;
}

const isPageNavigation = (c: Context) => (c.req.header("accept") ?? "").includes("text/html");

/** Confirms, then redirects to the page that says how it went (a refusal keeps its error code). */
function verifyPage(c: Context<CallerEnv>, verify: () => void): Response {
  c.header("Cache-Control", "no-store");
  try {
    verify();
  } catch (err) {
    if (!isAppError(err)) throw err;
    return c.redirect(`/verify?error=${encodeURIComponent(err.code)}`, 303);
  }
  return c.redirect("/verify?result=done", 303);
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const AUTH_MAIL_DOCS: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/auth/forgot-password",
    summary: "Mail a reset link (1 h) when the e-mail has an account: the same 202 and body either way",
    body: "json",
    input: ForgotInput,
    ok: { 202: "RegisterAccepted" },
  },
  {
    method: "POST",
    path: "/api/auth/reset-password",
    summary: "Set a new password with a mailed token (single use); every session of the user ends",
    body: "json",
    input: ResetInput,
    ok: { 200: "Done" },
  },
  {
    method: "GET",
    path: "/api/auth/verify-email",
    summary:
      "Confirm the e-mail with the mailed token (24 h, single use); a browser page navigation (Accept: text/html) is redirected (303) to /verify?result=done or /verify?error=<code>",
    query: ["token"],
    ok: { 200: "Done" },
  },
];
