// /start, /help, /lang, /presets and their menu buttons.

import { Composer } from "grammy";
import { PRESETS, STYLES } from "../../audio";
import { type Lang, t } from "../../i18n";
import type { BotContext } from "../context";
import { menuKeyboard, menuLabels } from "../keyboards";
import type { BotServices } from "../services";
import { botLimitMb } from "../telegram-files";

export function presetsText(lang: Lang): string {
  const styles = STYLES.map((s) =>
    t(lang, "bot_presets_style_line", {
      name: s.names[lang],
      lufs: s.target_lufs,
      desc: s.description[lang],
    }),
  );
  const presets = PRESETS.map((p) =>
    t(lang, "bot_presets_preset_line", { name: p.names[lang], lufs: p.target_lufs, tp: p.ceiling_dbtp }),
  );
  return [
    t(lang, "bot_presets_styles_title"),
    ...styles,
    "",
    t(lang, "bot_presets_presets_title"),
    ...presets,
    "",
    t(lang, "bot_presets_hint"),
  ].join("\n");
}

export function startFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  const welcome = (ctx: BotContext) =>
    ctx.reply(ctx.mm.t("bot_welcome", { name: ctx.from?.first_name ?? "" }), {
      reply_markup: menuKeyboard(ctx.mm.lang),
    });
  const help = (ctx: BotContext) =>
    ctx.reply(ctx.mm.t(ctx.mm.isAdmin ? "bot_help_admin" : "bot_help", { mb: botLimitMb(svc.config) }));
  const presets = (ctx: BotContext) => ctx.reply(presetsText(ctx.mm.lang));

  c.command("start", welcome);
  c.command("help", help);
  c.hears(menuLabels("bot_menu_help"), help);
  c.command("presets", presets);
  c.hears(menuLabels("bot_menu_presets"), presets);

  const switchLang = async (ctx: BotContext, wanted?: string) => {
    const next: Lang = wanted === "ru" || wanted === "en" ? wanted : ctx.mm.lang === "ru" ? "en" : "ru";
    svc.accounts.setLang(ctx.mm.user.id, next);
    ctx.mm.lang = next;
    ctx.mm.t = (key, params) => t(next, key, params);
    await ctx.reply(ctx.mm.t("bot_lang_set"), { reply_markup: menuKeyboard(next) });
  };
  c.command("lang", (ctx) => switchLang(ctx, ctx.match.trim().toLowerCase()));
  c.hears(menuLabels("bot_menu_lang"), (ctx) => switchLang(ctx));

  return c;
}
