// Public face of accounts: users, the Telegram link, language, bans and user reports.

export { type BotSessionStore, createBotSessionStore } from "./bot-sessions";
export {
  type Accounts,
  type AccountsDeps,
  createAccounts,
  type TelegramFrom,
  telegramOwnerKey,
  type UserReport,
  type UserRow,
} from "./service";
export type { FeedbackInput } from "./store";
