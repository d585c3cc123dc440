// Per-update middleware that runs before any feature: load the user (language, admin flag, ban) and the
// per-user rate limit on incoming messages. Rate state is in memory on purpose: it is a minute long.

import type { MiddlewareFn } from "grammy";
import type { Accounts } from "../accounts";
import { t } from "../i18n";
import type { Logger } from "../log";
import type { BotContext } from "./context";

/**
 * Upserts the sender, fills ctx.mm, and stops banned users with one polite refusal per ban. "Refusal sent"
 * is kept in the SQLite session (keyed by the ban's time), so a restart does not make the bot talk again,
 * and a later new ban gets its own refusal.
 */
export function loadUser(
  accounts: Accounts,
  adminIds: readonly string[],
  log: Logger,
): MiddlewareFn<BotContext> {
  return async function loadUser(ctx, next) {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const user = accounts.seenTelegramUser(from);
    const lang = user.lang;
    ctx.mm = {
      user,
      lang,
      isAdmin: adminIds.includes(String(from.id)),
      t: (key, params) => t(lang, key, params),
    };
    if (accounts.isBanned(user)) {
      const bannedAt = user.bannedAt ?? 0;
      if (ctx.session.banRefusedAt !== bannedAt) {
        ctx.session.banRefusedAt = bannedAt;
        log.info("bot_banned_refused", "", { user_id: user.id });
        if (ctx.callbackQuery)
          await ctx.answerCallbackQuery({ text: ctx.mm.t("bot_banned") }).catch(() => undefined);
        else await ctx.reply(ctx.mm.t("bot_banned")).catch(() => undefined);
      } else if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery().catch(() => undefined);
      }
      return;
    }
    if (ctx.session.banRefusedAt !== undefined) ctx.session.banRefusedAt = undefined;
    await next();
  };
}

/** At most `perMinute` messages per user in any 60 s; the first message over the limit gets one warning. */
export function rateLimit(perMinute: number, now: () => number = Date.now): MiddlewareFn<BotContext> {
  const seen = new Map<number, { times: number[]; warned: boolean }>();
  return async function rateLimit(ctx, next) {
    const id = ctx.from?.id;
    if (id === undefined || !ctx.message) return next();
    const at = now();
    const s = seen.get(id) ?? { times: [], warned: false };
    s.times = s.times.filter((x) => at - x < 60_000);
    if (s.times.length >= perMinute) {
      if (!s.warned) {
        s.warned = true;
        await ctx.reply(ctx.mm.t("bot_rate_limited")).catch(() => undefined);
      }
      seen.set(id, s);
      return;
    }
    s.times.push(at);
    s.warned = false;
    seen.set(id, s);
    if (seen.size > 10_000)
      for (const [k, v] of seen) if (v.times.every((x) => at - x >= 60_000)) seen.delete(k);
    await next();
  };
}

/** What the maintenance gate reads (src/settings provides it). */
export type MaintenanceState = { isMaintenance(): boolean; maintenanceMessage(): string };

const STARTS_WORK = /^(fm:|an$|rs:|rf:|ra:)/;

/**
 * While maintenance is on, anything that would start a job (a sent file, a format or analyse button, the
 * result buttons) gets the operator's message instead; commands such as /status keep working, and
 * admins are not stopped.
 */
export function maintenanceGate(state: MaintenanceState | undefined): MiddlewareFn<BotContext> {
  return async function maintenanceGate(ctx, next) {
    if (!state?.isMaintenance() || ctx.mm.isAdmin) return next();
    const msg = ctx.message;
    const startsWork =
      Boolean(msg && (msg.audio || msg.voice || msg.document)) ||
      STARTS_WORK.test(ctx.callbackQuery?.data ?? "");
    if (!startsWork) return next();
    const text = ctx.mm.t("bot_maintenance", {
      message: state.maintenanceMessage() || ctx.mm.t("maintenance_default_message"),
    });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(text).catch(() => undefined);
  };
}
