// The service's scheduler (src/service.ts): the tasks get services, never the database handle, and the
// subscription warnings go out over the bot's API client (one Telegram throttle with the bot) and the
// mailer. Built after HTTP is up; a bad MM_CRON_* expression throws here and stops start-up with the
// variable's name. Who starts it (this process, or the cluster's leader lock) is service.ts's choice.

import type { Accounts } from "./accounts";
import type { MagicBot } from "./bot";
import type { Mailer } from "./notify";
import { createScheduler, type Scheduler, type SchedulerDeps, subscriptionDeps } from "./scheduler";

export type SchedulerWiring = Omit<SchedulerDeps, "subscriptions" | "botUpdates"> & {
  accounts: Pick<Accounts, "subscriptions" | "markBotBlocked" | "botUpdates">;
  bot: Pick<MagicBot, "api">;
  mailer: Mailer;
};

export function wireScheduler(w: SchedulerWiring): Scheduler {
  const { accounts, bot, mailer, ...deps } = w;
  return createScheduler({
    ...deps,
    subscriptions: subscriptionDeps({
      accounts,
      api: bot.api(),
      log: w.log,
      publicUrl: w.config.MM_PUBLIC_URL,
      mailer,
    }),
    botUpdates: accounts.botUpdates,
  });
}
