// Public face of notify/: admin notifications and the shared policy/classifier for outgoing Telegram calls.

export { createLogMailer, type Mailer, type MailMessage } from "./mail";
export { createNotifier, type Notifier, type NotifierDeps } from "./notifier";
export { createReceipts, moneyText, type Receipts, type ReceiptsDeps, type ReceiptUser } from "./receipts";
export { createSmtpMailer, liveMailer, mailerFor, type SmtpMailer } from "./smtp";
export { installOutgoingPolicy, type OutgoingPolicyOptions } from "./telegram-api";
export {
  type ClassifiedError,
  classifyResponse,
  classifyTelegramError,
  type TelegramErrorKind,
} from "./telegram-errors";
export { createUserMessenger, type UserMessageResult, type UserMessenger } from "./user-message";
