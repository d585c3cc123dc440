// Public face of the Telegram bot: createBot wires grammY, sessions, features and the outgoing policy.
export { type BotDeps, type BotStatus, createBot, type MagicBot } from "./bot";
export {
  ADMIN_COMMANDS,
  ADMIN_PAYMENT_COMMANDS,
  commandList,
  PAYMENT_COMMANDS,
  USER_COMMANDS,
} from "./commands";
export type { BotContext, SessionData } from "./context";
export type { BotAccount } from "./services";
export { resultLink, TELEGRAM_DOWNLOAD_LIMIT, TELEGRAM_UPLOAD_LIMIT, uploadLink } from "./services";
