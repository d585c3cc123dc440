// The Telegram bot: token, Bot API root, admins and their notification chat, per-user message rate.

import { z } from "zod";
import { int, type Spec, telegramIds, url } from "../kinds";

export const BOT_ENV = {
  MM_BOT_TOKEN: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "Telegram bot token (empty = bot off)",
  },
  MM_TELEGRAM_API_ROOT: {
    schema: url,
    default: "https://api.telegram.org",
    describe: "Telegram Bot API root (tests point it at a fake)",
  },
  MM_TELEGRAM_LOCAL_API: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe:
      "on: MM_TELEGRAM_API_ROOT is a self-hosted telegram-bot-api --local (files by local path, up to 2000 MB)",
  },
  MM_ADMIN_IDS: {
    schema: telegramIds,
    default: "",
    describe: "Telegram user ids allowed to use admin commands",
  },
  MM_ADMIN_CHAT_ID: {
    schema: z
      .string()
      .trim()
      .regex(/^(-?\d+)?$/, "must be a numeric chat id"),
    default: "",
    describe: "Telegram chat that receives admin notifications",
  },
  MM_BOT_RATE_PER_MIN: {
    schema: int(1, 10000),
    default: "30",
    describe: "Messages per minute a bot user may send",
  },
} satisfies Record<string, Spec>;
