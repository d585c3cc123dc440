// Wires the admin panel's operations routes (src/http/routes/admin-ops.ts) from the running service's
// modules. Kept beside service.ts so that file only gains one call.
import type { Accounts, Tiers } from "./accounts";
import { type BillingStores, type Payments, type Plans, refundOrder, type StarsPayments } from "./billing";
import type { MagicBot } from "./bot";
import type { Config } from "./config";
import type { AuditLog } from "./db";
import type { DataLayout } from "./files";
import type { AdminOpsDeps, AdminPaymentsRoutesDeps } from "./http";
import type { JobService } from "./jobs";
import type { Logger } from "./log";
import type { Mailer, Notifier } from "./notify";
import { type DailyStats, freeDiskMb } from "./ops";
import type { Runtime, Settings } from "./settings";

export type AdminOpsWiring = {
  /** The live config (runtime settings read through it). */
  config: Config;
  log: Logger;
  layout: DataLayout;
  audit: AuditLog;
  jobs: JobService;
  stats: DailyStats;
  settings: Settings;
  runtime: Runtime;
  tiers: Tiers;
  /** The dashboard's user head counts. */
  accounts: Pick<Accounts, "userTotals">;
  plans: Plans;
  mailer: Mailer;
  notifier: Notifier;
  counters: { requests: number; errors5xx: number };
  /** The dashboard's money figures. */
  billing: Pick<BillingStores, "analytics">;
};

export function adminOpsDeps(w: AdminOpsWiring): AdminOpsDeps {
  const analytics = w.billing.analytics;
  return {
    dashboard: {
      jobs: w.jobs,
      stats: w.stats,
      users: (since, now) => w.accounts.userTotals(since, now),
      payments: (since) => analytics.paymentStats(since),
      freeDiskMb: () => freeDiskMb(w.layout.root),
      diskLowMb: () => w.config.MM_DISK_LOW_MB,
      counters: w.counters,
      maintenance: () => w.settings.isMaintenance(),
    },
    jobs: { jobs: w.jobs, audit: w.audit },
    settings: {
      audit: w.audit,
      settings: w.settings,
      runtime: w.runtime,
      tiers: w.tiers,
      plans: w.plans,
      mailer: w.mailer,
      sendTelegramTest: (text) => w.notifier.sendTest(text),
      adminChat: () => w.config.MM_ADMIN_CHAT_ID,
    },
    backups: { layout: w.layout, audit: w.audit, log: w.log, config: w.config },
    audit: { audit: w.audit },
  };
}

export type AdminPaymentsWiring = {
  /** The admin order list. */
  billing: Pick<BillingStores, "orderAdmin">;
  payments: Payments;
  stars: StarsPayments;
  accounts: Pick<Accounts, "find">;
  audit: AuditLog;
  bot: Pick<MagicBot, "api">;
  config: Pick<Config, "MM_BOT_TOKEN">;
};

/** The payments page's API: orders, and the refund/reconcile/provider-record actions. */
export function adminPaymentsDeps(w: AdminPaymentsWiring): AdminPaymentsRoutesDeps {
  const { payments, stars, audit } = w;
  return {
    orders: w.billing.orderAdmin,
    find: (id) => payments.find(id),
    actions: {
      payments,
      audit,
      // The same call as `admin refund` and the bot's /refund (a Stars refund goes through the bot's API).
      refund: (id, by, req) =>
        refundOrder(
          {
            payments,
            stars,
            telegramIdOf: (u) => w.accounts.find(`#${u}`)?.telegramId,
            refundStar: w.config.MM_BOT_TOKEN ? (tg, charge) => refundStar(w.bot, tg, charge) : undefined,
            audit,
          },
          id,
          by,
          req,
        ),
    },
  };
}

/** The Bot API's refundStarPayment; the bot is off (no token, or not started) → refund_failed. */
async function refundStar(bot: Pick<MagicBot, "api">, tg: number, charge: string): Promise<unknown> {
  const api = bot.api();
  if (!api) throw new Error("the bot is not running");
  return api.refundStarPayment(tg, charge);
}
