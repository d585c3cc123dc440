// POST /api/auth/telegram/link {code}, POST /api/auth/telegram/unlink, GET /api/referral/my-link and
// GET /api/referral/stats: all for a signed-in session; the services decide, answers from schemas-account.
import { Hono } from "hono";
import { type Referral, type TelegramLink, TelegramLinkInput } from "../../accounts";
import { AppError } from "../../errors";
import type { CallerEnv, Session } from "../middleware/auth";
import { OkSchema } from "./auth-schemas";
import type { RouteDoc } from "./openapi";
import { ReferralLinkSchema, ReferralStatsSchema, TelegramLinkedSchema } from "./schemas-link";
import { v } from "./validate";

export type AccountRoutesDeps = {
  link: TelegramLink;
  referral: Referral;
  balanceOf?: (userId: number) => number;
};

export function accountRoutes({ link, referral, balanceOf = () => 0 }: AccountRoutesDeps) {
  const r = new Hono<CallerEnv>();
  const userOf = (c: { get(k: "session"): Session | undefined }): number => {
    const s = c.get("session");
    if (!s) throw new AppError("session_required", 401);
    return s.user.id;
  };

  r.post("/api/auth/telegram/link", v("json", TelegramLinkInput), (c) => {
    const userId = userOf(c);
    const out = link.link(userId, c.req.valid("json").code);
    c.header("Cache-Control", "no-store");
    return c.json(TelegramLinkedSchema.parse({ telegram_linked: true, ...out, balance: balanceOf(userId) }));
  });

  r.post("/api/auth/telegram/unlink", (c) => {
    link.unlink(userOf(c));
    return c.json(OkSchema.parse({ ok: true }));
  });

  r.get("/api/referral/my-link", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(ReferralLinkSchema.parse(referral.myLink(userOf(c))));
  });

  r.get("/api/referral/stats", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(ReferralStatsSchema.parse(referral.stats(userOf(c))));
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const ACCOUNT_LINK_DOCS: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/auth/telegram/link",
    summary:
      "Link the Telegram user whose /link sent this code: one balance, history and tier (5 wrong codes lock)",
    access: "session",
    body: "json",
    input: TelegramLinkInput,
    ok: { 200: "TelegramLinked" },
  },
  {
    method: "POST",
    path: "/api/auth/telegram/unlink",
    summary: "Detach Telegram (its next message starts a new Telegram-only user)",
    access: "session",
    ok: { 200: "Ok" },
  },
  {
    method: "GET",
    path: "/api/referral/my-link",
    summary: "The caller's referral code and its web and bot links",
    access: "session",
    ok: { 200: "ReferralLink" },
  },
  {
    method: "GET",
    path: "/api/referral/stats",
    summary: "The caller's invitees (no ids) and the bonus sizes",
    access: "session",
    ok: { 200: "ReferralStats" },
  },
];
