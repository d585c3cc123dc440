// /link, /balance, /ref and the referral deep link (/start ref_CODE). Registered before startFeature: the
// deep link is handled here and then falls through to the welcome.

import { Composer } from "grammy";
import { LINK_CODE_TTL_MS, type LimitsView } from "../../accounts";
import type { BotContext } from "../context";
import type { BotAccount } from "../services";

/** "someone@example.com" → "so***@example.com": enough to recognise one's own, not to harvest. */
export const maskEmail = (email: string): string => {
  const [name = "", domain = ""] = email.split("@");
  return `${name.slice(0, 2)}***@${domain}`;
};

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** The tier's limits in words: what /api/limits says, for the bot. */
export function limitLines(t: BotContext["mm"]["t"], l: LimitsView): string[] {
  if (l.billing === "off") return [t("bot_limits_off")];
  const m = l.masters;
  const out = [
    m.limit === null
      ? t("bot_limits_masters_unlimited")
      : t("bot_limits_masters", {
          used: m.used,
          limit: m.limit,
          period: t(`bot_limits_period_${m.period}`),
          resets: m.resets_at === null ? "—" : utc(m.resets_at),
        }),
  ];
  if (l.daily.limit !== null) out.push(t("bot_limits_daily", { used: l.daily.used, limit: l.daily.limit }));
  if (l.tokens.master > 0) out.push(t("bot_limits_cost", { tokens: l.tokens.master }));
  if (l.remaining !== null) out.push(t("bot_limits_remaining", { n: l.remaining }));
  if (l.upload_max_mb !== null) out.push(t("bot_limits_upload", { mb: l.upload_max_mb }));
  return out;
}

export function accountFeature(account: BotAccount): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command("start", async (ctx, next) => {
    const payload = ctx.match.trim();
    const user = ctx.mm.user;
    // A deep link counts for a new user only: their first message is this /start (row just created).
    if (payload.startsWith("ref_") && user.email === null && user.createdAt === user.lastSeenAt) {
      const out = account.referral.attach(user.id, payload.slice(4), "bot");
      if (out === "ok" && account.bonuses.invitee > 0)
        await ctx.reply(ctx.mm.t("bot_referral_welcome", { bonus: account.bonuses.invitee }));
      else if (out === "self") await ctx.reply(ctx.mm.t("bot_referral_self"));
    }
    await next();
  });

  c.command("link", async (ctx) => {
    const user = ctx.mm.user;
    if (user.email !== null) return ctx.reply(ctx.mm.t("bot_link_already", { email: maskEmail(user.email) }));
    const digits = account.link.issueCode(user).code;
    return ctx.reply(ctx.mm.t("bot_link_code", { digits, minutes: LINK_CODE_TTL_MS / 60_000 }));
  });

  c.command("balance", async (ctx) => {
    const user = ctx.mm.user;
    const lines = [ctx.mm.t("bot_balance", { balance: account.balanceOf(user.id), tier: user.tier })];
    if (user.tierExpiresAt !== null)
      lines.push(ctx.mm.t("bot_balance_expires", { date: utc(user.tierExpiresAt) }));
    const limits = account.limitsOf?.(user);
    if (limits) lines.push("", ...limitLines(ctx.mm.t, limits));
    return ctx.reply(lines.join("\n"));
  });

  c.command("ref", async (ctx) => {
    const link = account.referral.myLink(ctx.mm.user.id);
    return ctx.reply(
      ctx.mm.t("bot_ref_link", {
        invitee: account.bonuses.invitee,
        inviter: account.bonuses.inviter,
        bot: link.bot_referral_url ?? "—",
        web: link.referral_url,
      }),
    );
  });

  return c;
}
