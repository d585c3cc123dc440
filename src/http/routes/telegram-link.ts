// POST /api/auth/telegram/link {code}, POST /api/auth/telegram/unlink, GET /api/referral/my-link and
// GET /api/referral/stats: all for a signed-in session; the services decide, answers from schemas-account.
import { Hono } from "hono";
import { type Referral, type TelegramLink, TelegramLinkInput } from "../../accounts";
import { AppError } from "../../errors";
import type { CallerEnv, Session } from "../middleware/auth";
import { OkSchema } from "./auth-schemas";
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
