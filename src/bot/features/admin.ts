// Admin commands (MM_ADMIN_IDS only). Mounted once behind filter(isAdmin) in bot.ts; to anyone else these
// commands do not exist and fall through to the "unknown command" reply. Every action is audited.

import { randomBytes } from "node:crypto";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { Composer, InlineKeyboard } from "grammy";
import { refundOrder } from "../../billing";
import { isAppError } from "../../errors";
import { errorMessage, t } from "../../i18n";
import { classifyTelegramError } from "../../notify";
import { freeDiskMb } from "../../ops";
import type { BotContext } from "../context";
import { adminKeyboard } from "../keyboards";
import type { BotServices } from "../services";
import { stale } from "./master";

const MB = 1048576;
const DAY = 86_400_000;
/** Gap between broadcast messages on top of the API throttler (Telegram allows ~30/s overall). */
const BROADCAST_GAP_MS = 40;

const fmtTime = (ms: number | null) => (ms ? new Date(ms).toISOString().slice(0, 16).replace("T", " ") : "—");
const fmtUptime = (s: number) =>
  `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h ${Math.floor((s % 3600) / 60)}m`;

export function adminFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const audit = (ctx: BotContext, action: string, target?: string, details?: unknown) =>
    svc.audit.record({
      actor: `tg:${ctx.from?.id}`,
      action: `bot_${action}`,
      target: target ?? null,
      details,
    });

  const server = async (ctx: BotContext) => {
    audit(ctx, "server");
    const h = svc.health ? await svc.health() : undefined;
    const mem = process.memoryUsage();
    return ctx.reply(
      ctx.mm.t("bot_admin_server", {
        status: h?.status ?? "—",
        problems: h?.problems.join(", ") || "—",
        version: svc.version,
        load: loadavg()
          .map((x) => x.toFixed(2))
          .join(" "),
        cores: cpus().length,
        ram_used: Math.round((totalmem() - freemem()) / MB),
        ram_total: Math.round(totalmem() / MB),
        rss: Math.round(mem.rss / MB),
        disk_free: h?.disk.free_mb ?? freeDiskMb(svc.layout.root),
        uptime: fmtUptime(Math.round((svc.now() - svc.startedAt.getTime()) / 1000)),
        running: h?.jobs.running ?? "—",
        queued: h?.jobs.queued ?? "—",
      }),
    );
  };

  const stats = (ctx: BotContext) => {
    audit(ctx, "stats");
    const now = svc.now();
    const midnight = new Date(now);
    midnight.setUTCHours(0, 0, 0, 0);
    const block = (since: number, titleKey: string) => {
      const j = svc.jobs.reports.statsSince(since);
      const u = svc.accounts.usersSince(since);
      return ctx.mm.t("bot_admin_stats_block", {
        title: ctx.mm.t(titleKey),
        done: j.done,
        failed: j.failed,
        new_users: u.new_users,
        active_users: u.active_users,
        rtf: j.mean_realtime_factor === null ? "—" : j.mean_realtime_factor.toFixed(1),
      });
    };
    return ctx.reply(
      [block(midnight.getTime(), "bot_admin_stats_today"), block(now - 7 * DAY, "bot_admin_stats_week")].join(
        "\n\n",
      ),
    );
  };

  const jobs = (ctx: BotContext) => {
    audit(ctx, "jobs");
    const rows = svc.jobs.reports.activeLines(30);
    if (rows.length === 0) return ctx.reply(ctx.mm.t("bot_admin_jobs_none"));
    const lines = rows.map((r) =>
      ctx.mm.t("bot_admin_jobs_line", {
        id: r.publicId,
        state: t(ctx.mm.lang, `job_state_${r.status}`),
        percent: Math.round(r.progress * 100),
        owner: r.ownerKey,
        name: r.originalName,
      }),
    );
    return ctx.reply([ctx.mm.t("bot_admin_jobs_title", { count: rows.length }), ...lines].join("\n"));
  };

  const errors = (ctx: BotContext) => {
    audit(ctx, "errors");
    const rows = svc.jobs.reports.recentFailures(10);
    if (rows.length === 0) return ctx.reply(ctx.mm.t("bot_admin_errors_none"));
    const lines = rows.map((r) =>
      ctx.mm.t("bot_admin_errors_line", {
        id: r.publicId,
        reason: r.errorCode ?? "—",
        owner: r.ownerKey,
        at: fmtTime(r.finishedAt),
      }),
    );
    return ctx.reply([ctx.mm.t("bot_admin_errors_title"), ...lines].join("\n"));
  };

  c.command("admin", (ctx) => {
    audit(ctx, "menu");
    return ctx.reply(ctx.mm.t("bot_admin_menu"), { reply_markup: adminKeyboard(ctx.mm.lang) });
  });
  c.command("server", server);
  c.command("stats", stats);
  c.command("jobs", jobs);
  c.command("errors", errors);
  const menu = { server, stats, jobs, errors } as const;
  c.callbackQuery(/^adm:(server|stats|jobs|errors)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const key = (ctx.match[1] ?? "server") as keyof typeof menu;
    await menu[key](ctx);
  });

  c.command("user", (ctx) => {
    const ref = ctx.match.trim();
    if (!ref) return ctx.reply(ctx.mm.t("bot_admin_user_usage"));
    audit(ctx, "user_report", ref);
    const r = svc.accounts.report(ref);
    if (!r) return ctx.reply(ctx.mm.t("bot_admin_user_not_found", { ref }));
    return ctx.reply(
      ctx.mm.t("bot_admin_user_report", {
        id: r.id,
        tg: r.telegram_id ?? "—",
        username: r.username ? `@${r.username}` : "—",
        lang: r.lang,
        tier: r.tier,
        created: fmtTime(r.created_at),
        seen: fmtTime(r.last_seen_at),
        banned: r.banned
          ? ctx.mm.t("bot_admin_banned_yes", { reason: r.ban_reason ?? "—", at: fmtTime(r.banned_at) })
          : ctx.mm.t("bot_admin_banned_no"),
        blocked: r.bot_blocked ? "✓" : "—",
        total: r.jobs.total,
        done: r.jobs.done,
        failed: r.jobs.failed,
        last: fmtTime(r.jobs.last_at),
      }),
    );
  });

  c.command("ban", async (ctx) => {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(ctx.match);
    if (!m?.[1]) return ctx.reply(ctx.mm.t("bot_admin_ban_usage"));
    try {
      const u = svc.accounts.ban(m[1], m[2]?.trim() || "—", `tg:${ctx.from?.id}`);
      return ctx.reply(ctx.mm.t("bot_admin_banned", { ref: m[1], id: u.id, jobs: u.jobsCancelled }));
    } catch (err) {
      if (isAppError(err)) return ctx.reply(ctx.mm.t("bot_admin_user_not_found", { ref: m[1] }));
      throw err;
    }
  });

  c.command("unban", async (ctx) => {
    const ref = ctx.match.trim();
    if (!ref) return ctx.reply(ctx.mm.t("bot_admin_unban_usage"));
    try {
      const u = svc.accounts.unban(ref, `tg:${ctx.from?.id}`);
      return ctx.reply(ctx.mm.t("bot_admin_unbanned", { ref, id: u.id }));
    } catch (err) {
      if (isAppError(err)) return ctx.reply(ctx.mm.t("bot_admin_user_not_found", { ref }));
      throw err;
    }
  });

  // The same service call as `magic-master admin refund <order>` (billing's refundOrder): Platega through
  // its API, Stars through refundStarPayment, then the reversal once.
  const { stars, payments } = svc;
  if (stars && payments)
    c.command("refund", async (ctx) => {
      const order = ctx.match.trim().toLowerCase();
      if (!/^[0-9a-f-]{36}$/.test(order)) return ctx.reply(ctx.mm.t("bot_admin_refund_usage"));
      const deps = {
        payments,
        stars,
        telegramIdOf: (id: number) => svc.accounts.find(`#${id}`)?.telegramId,
        refundStar: (tg: number, charge: string) => svc.api().refundStarPayment(tg, charge),
        audit: svc.audit,
        auditAction: "bot_payment_refund",
      };
      try {
        const { outcome } = await refundOrder(deps, order, `tg:${ctx.from?.id}`);
        const key =
          outcome === "refunded" || outcome === "partial_refund"
            ? "bot_admin_refund_done"
            : outcome === "pending"
              ? "bot_admin_refund_pending"
              : "bot_admin_refund_duplicate";
        return ctx.reply(ctx.mm.t(key, { order }));
      } catch (err) {
        if (!isAppError(err)) throw err;
        return ctx.reply(errorMessage(ctx.mm.lang, err.code, err.params));
      }
    });

  c.command("broadcast", async (ctx) => {
    const text = ctx.match.trim();
    if (!text) return ctx.reply(ctx.mm.t("bot_admin_broadcast_usage"));
    const nonce = randomBytes(4).toString("hex");
    ctx.session.broadcast = { nonce, text };
    const count = svc.accounts.broadcastRecipients().length;
    audit(ctx, "broadcast_preview", undefined, { chars: text.length, recipients: count });
    await ctx.reply(ctx.mm.t("bot_admin_broadcast_preview", { count }));
    await ctx.reply(text, {
      reply_markup: new InlineKeyboard()
        .text(ctx.mm.t("bot_admin_broadcast_confirm", { count }), `bc:${nonce}:go`)
        .text(ctx.mm.t("bot_admin_broadcast_abort"), `bc:${nonce}:no`),
    });
  });

  c.callbackQuery(/^bc:([0-9a-f]+):(go|no)$/, async (ctx) => {
    const b = ctx.session.broadcast;
    if (!b || b.nonce !== ctx.match[1]) return stale(ctx);
    ctx.session.broadcast = undefined;
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    if (ctx.match[2] === "no") {
      audit(ctx, "broadcast_aborted");
      return ctx.reply(ctx.mm.t("bot_admin_broadcast_aborted"));
    }
    const recipients = svc.accounts.broadcastRecipients();
    audit(ctx, "broadcast_sent", undefined, { recipients: recipients.length, text: b.text.slice(0, 200) });
    await ctx.reply(ctx.mm.t("bot_admin_broadcast_started", { count: recipients.length }));
    const chatId = ctx.chat?.id;
    const lang = ctx.mm.lang;
    // Runs outside the update so the admin's chat is not blocked while thousands of messages go out.
    void runBroadcast(svc, b.text, recipients).then((r) => {
      svc.log.info("broadcast_done", "", { ...r, actor: `tg:${ctx.from.id}` });
      if (chatId !== undefined)
        void svc
          .api()
          .sendMessage(chatId, t(lang, "bot_admin_broadcast_report", r))
          .catch(() => undefined);
    });
  });

  return c;
}

export type BroadcastReport = { delivered: number; blocked: number; failed: number };

/** Sends `text` to every recipient one by one; blocked chats are marked by the outgoing policy. */
export async function runBroadcast(
  svc: BotServices,
  text: string,
  recipients: string[],
): Promise<BroadcastReport> {
  const r: BroadcastReport = { delivered: 0, blocked: 0, failed: 0 };
  for (const chatId of recipients) {
    try {
      await svc.api().sendMessage(chatId, text);
      r.delivered++;
    } catch (err) {
      const c = classifyTelegramError(err);
      if (c.kind === "blocked") r.blocked++;
      else {
        r.failed++;
        svc.log.warn("broadcast_send_failed", c.description, { chat_id: chatId, kind: c.kind });
      }
    }
    await Bun.sleep(BROADCAST_GAP_MS);
  }
  return r;
}
