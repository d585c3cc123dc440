// Feedback about a task: `/feedback <id> <text>` or a plain message `<id> <text>`. Stored, logged as one
// `event=feedback` JSON line (task_id, user_id, message) and forwarded to the admin chat.

import { Composer } from "grammy";
import type { BotContext } from "../context";
import { type BotServices, ownerKeyOf } from "../services";
import { ownJob } from "./status";

const PLAIN = /^#?([2-9A-Za-z]{6})[\s:,.-]+([\s\S]{2,})$/;

export function feedbackFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  const record = async (ctx: BotContext, rawId: string, text: string): Promise<boolean> => {
    const job = ownJob(ctx, svc, rawId);
    if (!job || !ctx.from) return false;
    const message = text.trim().slice(0, 4000);
    svc.accounts.recordFeedback({
      jobPublicId: job.id,
      userId: ctx.mm.user.id,
      ownerKey: ownerKeyOf(ctx.mm.user),
      text: message,
    });
    svc.log.info("feedback", "", {
      task_id: job.id,
      user_id: ctx.mm.user.id,
      telegram_id: ctx.from.id,
      message,
    });
    const admin = svc.config.MM_ADMIN_CHAT_ID;
    if (admin) {
      const who = ctx.from.username ? `@${ctx.from.username}` : String(ctx.from.id);
      await ctx.api
        .sendMessage(admin, ctx.mm.t("bot_feedback_forward", { id: job.id, who, message }))
        .catch((err: unknown) => svc.log.warn("feedback_forward_failed", String(err), { task_id: job.id }));
    }
    await ctx.reply(ctx.mm.t("bot_feedback_thanks", { id: job.id }));
    return true;
  };

  c.command("feedback", async (ctx) => {
    const m = /^\s*(\S+)\s+([\s\S]+)$/.exec(ctx.match);
    if (!m) return ctx.reply(ctx.mm.t("bot_feedback_usage"));
    const ok = await record(ctx, m[1] ?? "", m[2] ?? "");
    if (!ok)
      await ctx.reply(ctx.mm.t("job_not_found", { id: `#${(m[1] ?? "").replace(/^#/, "").toUpperCase()}` }));
  });

  c.on("message:text", async (ctx, next) => {
    const m = PLAIN.exec(ctx.message.text.trim());
    if (m && !ctx.message.text.startsWith("/") && (await record(ctx, m[1] ?? "", m[2] ?? ""))) return;
    await next();
  });

  return c;
}
