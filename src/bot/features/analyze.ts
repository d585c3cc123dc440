// /analyze: the next file the user sends is measured (loudness, range, peaks, platforms), not mastered.

import { Composer } from "grammy";
import type { Config } from "../../config";
import type { BotContext } from "../context";
import { menuLabels } from "../keyboards";
import { botLimitMb } from "../telegram-files";

export function analyzeFeature(config: Config): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const ask = (ctx: BotContext) => {
    ctx.session.mode = "analyze";
    return ctx.reply(ctx.mm.t("bot_send_file_analyze", { mb: botLimitMb(config) }));
  };
  c.command("analyze", ask);
  c.hears(menuLabels("bot_menu_analyze"), ask);
  return c;
}
