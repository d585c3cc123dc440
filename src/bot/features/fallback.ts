// The last stop: unknown commands (including admin commands sent by non-admins — same reply, no leak),
// stickers, photos and other messages, and buttons from old keyboards.

import { Composer } from "grammy";
import type { Config } from "../../config";
import type { BotContext } from "../context";
import { botLimitMb } from "../telegram-files";

export function fallbackFeature(config: Config): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const hint = (ctx: BotContext) => ctx.reply(ctx.mm.t("bot_send_audio_hint", { mb: botLimitMb(config) }));
  c.on("message::bot_command", (ctx) => ctx.reply(ctx.mm.t("bot_unknown_command")));
  c.on("message:text", hint);
  c.on("message", hint);
  c.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.mm.t("bot_stale_button") }));
  return c;
}
