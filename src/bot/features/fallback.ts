// The last stop: unknown commands (including admin commands sent by non-admins — same reply, no leak),
// stickers, photos and other messages, and buttons from old keyboards.

import { Composer } from "grammy";
import type { BotContext } from "../context";

export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on("message::bot_command", (ctx) => ctx.reply(ctx.mm.t("bot_unknown_command")));
  c.on("message:text", (ctx) => ctx.reply(ctx.mm.t("bot_send_audio_hint")));
  c.on("message", (ctx) => ctx.reply(ctx.mm.t("bot_send_audio_hint")));
  c.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.mm.t("bot_stale_button") }));
  return c;
}
