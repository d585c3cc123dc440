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

export function commandList(lang: Lang, admin: boolean): BotCommand[] {
  const names: readonly string[] = admin ? [...USER_COMMANDS, ...ADMIN_COMMANDS] : USER_COMMANDS;
  return names.map((command) => ({ command, description: t(lang, `bot_cmd_${command}`) }));
}

/** Registers both menus. Failures are logged, never fatal: the bot works without a menu. */
export async function registerCommands(api: Api, adminIds: readonly string[], log: Logger): Promise<void> {
  try {
    await api.setMyCommands(commandList("en", false));
    for (const lang of LANGS) await api.setMyCommands(commandList(lang, false), { language_code: lang });
    for (const id of adminIds) {
      const scope = { type: "chat" as const, chat_id: Number(id) };
      await api.setMyCommands(commandList("en", true), { scope });
      for (const lang of LANGS)
        await api.setMyCommands(commandList(lang, true), { scope, language_code: lang });
    }
  } catch (err) {
    log.warn("bot_commands_failed", err instanceof Error ? err.message : String(err));
  }
}
