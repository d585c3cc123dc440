// Wires the accounts area's services for the running service (src/service.ts): users, referral bonuses and
// the Telegram link (tokens through the ledger, jobs through the job service), account mail, sign-in and
// API keys. Kept beside service.ts so that file only gains one call.

import {
  type AccountStores,
  type Accounts,
  type ApiKeys,
  type Auth,
  createAccounts,
  createApiKeys,
  createAuth,
  createEmailFlows,
  createReferral,
  createTelegramLink,
  type EmailFlows,
  type Referral,
  type TelegramLink,
  type Tiers,
  tiersAllowApiKeys,
} from "./accounts";
import type { Ledger } from "./billing";
import type { Config } from "./config";
import type { JobService } from "./jobs";
import type { Logger } from "./log";
import { liveMailer } from "./notify";

export type AccountsWiring = {
  stores: AccountStores;
  config: Config;
  log: Logger;
  tiers: Tiers;
  ledger: Ledger;
  jobs: JobService;
  /** The bot's username, read when a referral link is made (the bot is built after accounts). */
  botUsername: () => string | undefined;
};

export type AccountServices = {
  accounts: Accounts;
  referral: Referral;
  telegramLink: TelegramLink;
  /** Referral bonuses in tokens, as configured. */
  bonuses: { invitee: number; inviter: number };
  mailer: ReturnType<typeof liveMailer>;
  mail: EmailFlows;
  auth: Auth;
  keys: ApiKeys;
};

export function wireAccounts(w: AccountsWiring): AccountServices {
  const { stores: accountStores, config, log, tiers, ledger, jobs } = w;
  const accounts = createAccounts({
    stores: accountStores,
    log,
    jobsOfUser: jobs.reports.countsOfUser,
    cancelQueuedJobs: (id, owners, actor) => jobs.cancelQueuedOfUser(id, owners, actor).length,
  });
  // Referral bonuses and the Telegram link move tokens through the ledger and jobs through the job service.
  const bonuses = { invitee: config.MM_REFERRAL_BONUS_INVITEE, inviter: config.MM_REFERRAL_BONUS_INVITER };
  const referral = createReferral({
    stores: accountStores,
    log,
    bonuses,
    grant: ledger.grantOnce,
    take: ledger.takeOnce,
    amountOf: ledger.amountOf,
    publicUrl: config.MM_PUBLIC_URL,
    botUsername: w.botUsername,
  });
  const telegramLink = createTelegramLink({
    stores: accountStores,
    log,
    moveBalance: (from, to, ref) => ledger.moveAll(from, to, { reason: "link", ref, actor: "system" }),
    reassignJobs: jobs.reassignOwner,
    onMerged: (bot, web) => {
      referral.onMerged(bot, web);
      tiers.mergeUsage(bot, web);
    },
  });
  jobs.onEvent((e) => {
    if (e.type === "state" && e.job.status === "done" && e.job.user_id !== null && !e.remote)
      referral.onJobDone(e.job.user_id);
  });
  referral.recover((id) => jobs.reports.countsOfUser(id, null).done > 0);
  const authStore = accountStores.auth;
  // SMTP when MM_SMTP_URL is set (confirming the e-mail is then required), else mails go to the log.
  const mailer = liveMailer(config, log);
  if (mailer.delivers) void mailer.check(); // logs smtp_ready / smtp_unreachable; never blocks start-up
  const emailTokens = accountStores.emailTokens;
  const mail = createEmailFlows({
    users: authStore,
    tokens: emailTokens,
    mailer,
    log,
    publicUrl: config.MM_PUBLIC_URL,
  });
  const auth = createAuth({
    store: authStore,
    log,
    sessionDays: config.MM_SESSION_DAYS,
    mail,
    emailTokens,
    onRegistered: (id, input) => void (input.ref && referral.attach(id, input.ref, "web")),
  });
  // Keys are a tier feature while billing is on; off (the self-hosted tool), no tier limits anything.
  const keys = createApiKeys({
    store: accountStores.apiKeys,
    log,
    allowsApiKeys: tiersAllowApiKeys(tiers),
  });
  return { accounts, referral, telegramLink, bonuses, mailer, mail, auth, keys };
}
