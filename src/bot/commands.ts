// The command menus registered with setMyCommands: the user list in RU and EN for everyone, and the
// extended list in each admin's own private chat (scope chat), so nobody else even sees admin commands.

import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { LANGS, type Lang, t } from "../i18n";
import type { Logger } from "../log";

export const USER_COMMANDS = [
  "start",
  "master",
  "analyze",
  "status",
  "history",
  "presets",
  "cancel",
  "feedback",
  "balance",
  "link",
  "ref",
  "lang",
  "help",
] as const;
export const ADMIN_COMMANDS = [
  "admin",
  "server",
  "stats",
  "jobs",
  "errors",
  "user",
  "ban",
  "unban",
  "broadcast",
] as const;

/** Offered when the bot sells (Telegram Stars): buying and the payment help Telegram asks bots to have. */
export const PAYMENT_COMMANDS = ["buy", "paysupport"] as const;
/** The admin's refund of a Stars order, beside the other admin commands when the bot sells. */
export const ADMIN_PAYMENT_COMMANDS = ["refund"] as const;

export function commandList(lang: Lang, admin: boolean, payments = false): BotCommand[] {
  const names: readonly string[] = [
    ...USER_COMMANDS,
    ...(payments ? PAYMENT_COMMANDS : []),
    ...(admin ? ADMIN_COMMANDS : []),
    ...(admin && payments ? ADMIN_PAYMENT_COMMANDS : []),
  ];
  return names.map((command) => ({ command, description: t(lang, `bot_cmd_${command}`) }));
}

/** Registers both menus. Failures are logged, never fatal: the bot works without a menu. */
export async function registerCommands(
  api: Api,
  adminIds: readonly string[],
  log: Logger,
  payments = false,
): Promise<void> {
  try {
    await api.setMyCommands(commandList("en", false, payments));
    for (const lang of LANGS)
      await api.setMyCommands(commandList(lang, false, payments), { language_code: lang });
    for (const id of adminIds) {
      const scope = { type: "chat" as const, chat_id: Number(id) };
      await api.setMyCommands(commandList("en", true, payments), { scope });
      for (const lang of LANGS)
        await api.setMyCommands(commandList(lang, true, payments), { scope, language_code: lang });
    }
  } catch (err) {
    log.warn("bot_commands_failed", err instanceof Error ? err.message : String(err));
  }
}
