// Telegram Stars in the bot: /buy lists the plans with their Stars price, a button sends the invoice of
// an order written first (payload order:<id>), /paysupport says how to get help (Telegram expects it).
// The checkout updates (pre_checkout_query, successful_payment) are handled by `starsCheckout`, mounted
// before the per-chat chain: the pre-checkout answer must reach Telegram within 10 s, and a payment must
// be credited even in maintenance or past the chat rate limit.

import { Composer, InlineKeyboard } from "grammy";
import type { Accounts } from "../../accounts";
import type { StarsPayments } from "../../billing";
import { errorMessage, t } from "../../i18n";
import type { Logger } from "../../log";
import type { BotContext } from "../context";

export function starsFeature(stars: StarsPayments | undefined, log: Logger): Composer<BotContext> {
  const c = new Composer<BotContext>();
  if (!stars) return c;
  c.command("buy", async (ctx) => {
    const plans = stars.plans();
    if (!plans.length) return ctx.reply(ctx.mm.t("bot_buy_none"));
    const k = new InlineKeyboard();
    for (const p of plans)
      k.text(`${ctx.mm.lang === "ru" ? p.labelRu : p.labelEn} — ${p.stars} ⭐`, `stars:${p.key}`).row();
    return ctx.reply(ctx.mm.t("bot_buy_pick"), { reply_markup: k });
  });
  c.callbackQuery(/^stars:([a-z0-9_]{1,40})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const key = ctx.match[1] ?? "";
    let order: ReturnType<StarsPayments["order"]>;
    try {
      order = stars.order(ctx.mm.user.id, key);
    } catch (err) {
      const code = (err as { code?: string }).code ?? "internal_error";
      return ctx.reply(errorMessage(ctx.mm.lang, code, { plan: key }));
    }
    const plan = stars.plans().find((p) => p.key === key);
    const label = (ctx.mm.lang === "ru" ? plan?.labelRu : plan?.labelEn) ?? key;
    log.info("stars_invoice", "", { user_id: ctx.mm.user.id, order_id: order.id, plan: key });
    return ctx.replyWithInvoice(
      label.slice(0, 32),
      ctx.mm.t("bot_buy_invoice", { plan: label, tokens: order.tokens }).slice(0, 255),
      stars.payloadOf(order),
      "XTR",
      [{ label: label.slice(0, 32), amount: order.amountMinor / 100 }],
    );
  });
  c.command("paysupport", (ctx) => ctx.reply(ctx.mm.t("bot_paysupport")));
  return c;
}

export function starsCheckout(
  stars: StarsPayments | undefined,
  accounts: Accounts,
  log: Logger,
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  if (!stars) return c;
  c.on("pre_checkout_query", async (ctx) => {
    const q = ctx.preCheckoutQuery;
    const user = accounts.findByTelegramId(q.from.id);
    const lang = user?.lang ?? "en";
    const code =
      !user || accounts.isBanned(user)
        ? "stars_order_invalid"
        : stars.preCheckout({
            userId: user.id,
            payload: q.invoice_payload,
            currency: q.currency,
            totalAmount: q.total_amount,
          });
    log.info("stars_pre_checkout", "", {
      telegram_id: q.from.id,
      payload: q.invoice_payload,
      ok: code === null,
      code,
    });
    if (code === null) await ctx.answerPreCheckoutQuery(true);
    else await ctx.answerPreCheckoutQuery(false, errorMessage(lang, code));
  });
  c.on("message:successful_payment", async (ctx) => {
    const p = ctx.message.successful_payment;
    const user = ctx.from ? accounts.findByTelegramId(ctx.from.id) : undefined;
    if (!user) {
      log.error("stars_payment_unmatched", "successful_payment from an unknown user", {
        telegram_id: ctx.from?.id,
        charge_id: p.telegram_payment_charge_id,
      });
      return;
    }
    const outcome = stars.paid({
      userId: user.id,
      payload: p.invoice_payload,
      currency: p.currency,
      totalAmount: p.total_amount,
      chargeId: p.telegram_payment_charge_id,
    });
    // The thank-you is the receipt settlement sends once per credit (src/notify/receipts.ts).
    if (outcome === "mismatch") await ctx.reply(t(user.lang, "bot_paysupport"));
  });
  return c;
}
