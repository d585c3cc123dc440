// Telegram gives an update again when the leader that fetched it died before the next getUpdates
// confirmed it (another node then leads the bot, or this one restarts). The bot_updates table remembers
// which update ids were handled, so the second copy is skipped:
//  - a text message (a command, a menu button, a typed answer) only talks: its id is claimed before the
//    handler runs, so a replay never answers twice (at most once: a leader killed mid-reply loses it);
//  - a file or a button press may start work: its id is recorded after the handler succeeded (at least
//    once; a replay of one whose handler did not finish runs again, and intake finds the job it already
//    made by jobs.bot_update_key);
//  - Telegram Stars checkout updates are never gated: billing credits a charge id once, and the
//    pre-checkout answer must not wait on this table.

import type { MiddlewareFn } from "grammy";
import type { BotUpdateStore } from "../accounts";
import type { Logger } from "../log";
import type { BotContext } from "./context";

type Gate = "before" | "after" | "none";

/** How an update is guarded against a replay (see the header). */
export function gateOf(ctx: BotContext): Gate {
  if (ctx.update.callback_query) return "after";
  const m = ctx.update.message;
  if (!m || m.successful_payment) return "none";
  if (m.audio || m.voice || m.document) return "after";
  return "before";
}

export function replayGate(
  updates: BotUpdateStore,
  log: Logger,
  now: () => number = Date.now,
): MiddlewareFn<BotContext> {
  return async function replayGate(ctx, next) {
    const gate = gateOf(ctx);
    if (gate === "none") return next();
    const updateId = ctx.update.update_id;
    const skip = () =>
      log.info("bot_update_replayed", "", { update_id: updateId, telegram_id: ctx.from?.id, gate });
    if (gate === "before") {
      if (!updates.claim(updateId, now())) return skip();
      return next();
    }
    if (updates.seen(updateId)) return skip();
    await next();
    try {
      updates.claim(updateId, now());
    } catch (err) {
      // The update was handled; not remembering it only means a replay runs it again (idempotently).
      log.warn("bot_update_record_failed", String(err), { update_id: updateId, error: String(err) });
    }
  };
}
