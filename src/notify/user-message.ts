// One Telegram message to one user (subscription warnings and other notices the scheduler sends),
// through the bot's API client so the outgoing policy (throttle, retries, blocked detection) applies.
// Never throws: the caller records what was sent and retries what was not on its next run.

import type { Api } from "grammy";
import type { Logger } from "../log";
import { classifyTelegramError } from "./telegram-errors";

/** "off": no bot configured; "blocked": the user blocked the bot; "failed": try again later. */
export type UserMessageResult = "sent" | "off" | "blocked" | "failed";

export type UserMessenger = {
  send(telegramId: string, text: string, kind: string): Promise<UserMessageResult>;
};

export function createUserMessenger(api: Api | undefined, log: Logger): UserMessenger {
  return {
    async send(telegramId, text, kind) {
      if (!api) return "off";
      try {
        await api.sendMessage(telegramId, text.slice(0, 4000), {
          link_preview_options: { is_disabled: true },
        });
        log.info("user_message_sent", "", { kind, telegram_id: telegramId });
        return "sent";
      } catch (err) {
        const c = classifyTelegramError(err);
        log.warn("user_message_failed", c.description, {
          kind,
          telegram_id: telegramId,
          error_kind: c.kind,
          error_code: c.code,
        });
        return c.kind === "blocked" ? "blocked" : "failed";
      }
    },
  };
}
