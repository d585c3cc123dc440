// What every feature composer receives: the services it may call. Built once in createBot.

import type { Api } from "grammy";
import {
  type Accounts,
  type LimitsView,
  ownerKeyOfUser,
  type Referral,
  type ReferralBonuses,
  type TelegramLink,
  type Tiers,
  type UserRow,
} from "../accounts";
import type { Payments, StarsPayments } from "../billing";
import type { Config } from "../config";
import type { AuditLog } from "../db";
import type { DataLayout } from "../files";
import type { JobService } from "../jobs";
import type { Logger } from "../log";
import type { Notifier } from "../notify";
import type { Health } from "../ops";
import type { ProgressTracker } from "./progress";

export type BotServices = {
  config: Config;
  log: Logger;
  audit: AuditLog;
  jobs: JobService;
  accounts: Accounts;
  /** Tier limits checked at intake (MM_BILLING=on); absent: nothing is limited. */
  tiers?: Tiers;
  layout: DataLayout;
  version: string;
  startedAt: Date;
  notifier?: Notifier;
  health?: () => Promise<Health>;
  tracker: ProgressTracker;
  /** The bot's API client (with the outgoing policy installed). */
  api: () => Api;
  now: () => number;
  /** The Telegram link, referral and balance (absent: /link, /balance and /ref are not offered). */
  account?: BotAccount;
  /** Telegram Stars orders: the admin's /refund (absent: the bot sells nothing). */
  stars?: StarsPayments;
  /** Orders of every provider: the admin's /refund of a Platega order. */
  payments?: Pick<Payments, "find" | "refund" | "moneyState">;
};

export type BotAccount = {
  link: TelegramLink;
  referral: Referral;
  bonuses: ReferralBonuses;
  /** The ledger balance. */
  balanceOf: (userId: number) => number;
  /** The tier's limits for this user as GET /api/limits shows them (the tiers service). */
  limitsOf?: (user: UserRow) => LimitsView;
};

export { TELEGRAM_DOWNLOAD_LIMIT, TELEGRAM_UPLOAD_LIMIT } from "./telegram-files";

/** Link to a result in the web app (the HTTP API checks the job's access token). */
export function resultLink(config: Pick<Config, "MM_PUBLIC_URL">, jobId: string, token: string): string {
  const base = config.MM_PUBLIC_URL.replace(/\/+$/, "");
  return `${base}/api/jobs/${jobId}/result?token=${encodeURIComponent(token)}`;
}

/** Link to every finished result of a batch as one ZIP (the batch token is derived from its jobs' tokens). */
export function batchZipLink(config: Pick<Config, "MM_PUBLIC_URL">, batchId: string, token: string): string {
  const base = config.MM_PUBLIC_URL.replace(/\/+$/, "");
  return `${base}/api/v2/batch/${batchId}/zip?token=${encodeURIComponent(token)}`;
}

/** The web app's upload page (for files the bot cannot download). */
export function uploadLink(config: Pick<Config, "MM_PUBLIC_URL">): string {
  return `${config.MM_PUBLIC_URL.replace(/\/+$/, "")}/`;
}

/** Owner key of the sender's jobs: "tg:<telegram id>", or "user:<id>" once linked to a web account. */
export const ownerKeyOf = ownerKeyOfUser;
