// The Telegram side of the service (src/service.ts): the bot, the admin notifier that watches jobs, and
// the payment receipts. The notifier and the receipts send through the bot's API client, so every
// message to Telegram shares one throttle; without a token they log instead.

import { botCaller, type Tiers } from "./accounts";
import type { Ledger, Plans } from "./billing";
import { type BotAccount, type BotDeps, createBot, type MagicBot } from "./bot";
import {
  createNotifier,
  createReceipts,
  createUserMessenger,
  type Mailer,
  type Notifier,
  type Receipts,
} from "./notify";

export type TelegramWiring = Omit<BotDeps, "account" | "tiers"> & {
  tiers: Tiers;
  account: Omit<BotAccount, "balanceOf" | "limitsOf">;
  ledger: Pick<Ledger, "balance">;
  plans: Pick<Plans, "get">;
  mailer: Mailer;
};

export function wireTelegram(w: TelegramWiring): { bot: MagicBot; notifier: Notifier; receipts: Receipts } {
  const { ledger, plans, mailer, account, ...deps } = w;
  const balanceOf = (id: number) => ledger.balance(id);
  const bot = createBot({
    ...deps,
    account: { ...account, balanceOf, limitsOf: (u) => w.tiers.limitsFor(botCaller(u)) },
  });
  const notifier = createNotifier({ config: w.config, log: w.log, api: bot.api() });
  notifier.watchJobs(w.jobs);
  const receipts = createReceipts({
    userOf: (id) => w.accounts.find(`#${id}`),
    planLabel: (key, lang) => {
      const p = plans.get(key);
      return p ? (lang === "ru" ? p.labelRu : p.labelEn) : key;
    },
    balanceOf,
    mailer,
    messenger: createUserMessenger(bot.api(), w.log),
    admin: notifier,
    onBotBlocked: (id) => w.accounts.markBotBlocked(id),
    log: w.log,
  });
  return { bot, notifier, receipts };
}
