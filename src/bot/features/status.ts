// /status <id>, /cancel <id>, /history and the history buttons. A user sees only their own tasks; someone
// else's id answers exactly like an unknown one.

import { Composer, InlineKeyboard } from "grammy";
import { isAppError } from "../../errors";
import { errorMessage, t } from "../../i18n";
import { isFinal, type JobView, normalisePublicId } from "../../jobs";
import type { BotContext } from "../context";
import { menuLabels } from "../keyboards";
import { statusText } from "../report";
import { type BotServices, ownerKeyOf } from "../services";
import { stale } from "./master";

const HISTORY = 10;

/** The caller's job with this id (admins may read any), or undefined. */
export function ownJob(ctx: BotContext, svc: BotServices, raw: string): JobView | undefined {
  const id = normalisePublicId(raw);
  if (!id || !ctx.from) return undefined;
  const job = svc.jobs.get(id);
  if (!job) return undefined;
  return job.owner_key === ownerKeyOf(ctx.mm.user) || ctx.mm.isAdmin ? job : undefined;
}

export function statusFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  const showStatus = async (ctx: BotContext, raw: string) => {
    const id = raw.trim().split(/\s+/)[0] ?? "";
    if (!id) return ctx.reply(ctx.mm.t("bot_status_usage"));
    const job = ownJob(ctx, svc, id);
    if (!job) return ctx.reply(ctx.mm.t("job_not_found", { id: `#${id.replace(/^#/, "").toUpperCase()}` }));
    ctx.mm.taskId = job.id;
    await ctx.reply(statusText(ctx.mm.lang, job));
    if (job.status === "done" && ctx.chat) await svc.tracker.deliver(job, String(ctx.chat.id), ctx.mm.lang);
  };
  c.command("status", (ctx) => showStatus(ctx, ctx.match));
  c.callbackQuery(/^js:([A-Z0-9]+)$/, async (ctx) => {
    if (!ownJob(ctx, svc, ctx.match[1] ?? "")) return stale(ctx);
    await ctx.answerCallbackQuery();
    await showStatus(ctx, ctx.match[1] ?? "");
  });

  c.command("cancel", async (ctx) => {
    const raw = ctx.match.trim();
    if (!raw) return ctx.reply(ctx.mm.t("bot_cancel_usage"));
    const job = ownJob(ctx, svc, raw);
    if (!job) return ctx.reply(ctx.mm.t("job_not_found", { id: `#${raw.replace(/^#/, "").toUpperCase()}` }));
    ctx.mm.taskId = job.id;
    if (isFinal(job.status))
      return ctx.reply(
        ctx.mm.t("bot_cancel_too_late", { id: job.id, state: t(ctx.mm.lang, `job_state_${job.status}`) }),
      );
    try {
      svc.jobs.cancel(job.id, `tg:${ctx.from?.id}`);
      return ctx.reply(ctx.mm.t("bot_task_cancelled", { id: job.id }));
    } catch (err) {
      if (isAppError(err))
        return ctx.reply(
          ctx.mm.t("bot_task_error", {
            id: job.id,
            reason: errorMessage(ctx.mm.lang, err.code, { id: job.id, ...err.params }),
          }),
        );
      throw err;
    }
  });

  const history = async (ctx: BotContext) => {
    if (!ctx.from) return;
    const jobs = svc.jobs.listByOwner(ownerKeyOf(ctx.mm.user), HISTORY);
    if (jobs.length === 0) return ctx.reply(ctx.mm.t("bot_history_empty"));
    const lang = ctx.mm.lang;
    const lines = jobs.map((j) =>
      t(lang, "bot_history_line", {
        id: j.id,
        name: j.original_name,
        state: t(lang, `job_state_${j.status}`),
        date: new Date(j.created_at).toISOString().slice(0, 16).replace("T", " "),
      }),
    );
    const k = new InlineKeyboard();
    jobs.forEach((j, i) => {
      k.text(`#${j.id}`, `js:${j.id}`);
      if (i % 3 === 2) k.row();
    });
    return ctx.reply([ctx.mm.t("bot_history_title"), ...lines].join("\n"), { reply_markup: k });
  };
  c.command("history", history);
  c.hears(menuLabels("bot_menu_history"), history);

  return c;
}
