// Wires every module into one running service. `serve` calls it and integration tests call it with
// PORT=0 and a temp data dir, so both run the same wiring. The accounts area's services and the HTTP side
// are wired in service-accounts.ts and service-http.ts, the admin routes' deps in service-admin.ts; the
// database in service-db.ts, health in service-health.ts, the scheduler in service-scheduler.ts.
// Start: data dir → database (migrate) → jobs → HTTP → bot → scheduler.
// Stop: stop accepting HTTP → bot → scheduler → drain jobs → checkpoint + close DB.

import { createAccountStores, createTiers, type EmailFlows, ensureInitialAdmin } from "./accounts";
import { configureAudioTools } from "./audio";
import { billingSeamFor, createBillingStores, createPaymentServices, ledgerOn } from "./billing";
import type { MagicBot } from "./bot";
import type { Config } from "./config";
import { type Backend, closeBackend, createAuditLog, type DbHandle, sqliteHandleOf } from "./db";
import { createFileStore, createUploadTracker, type DataLayout, dataLayout, ensureLayout } from "./files";
import { createJobService, type JobService } from "./jobs";
import type { Logger } from "./log";
import type { Notifier, Receipts } from "./notify";
import {
  ALL_ROLES,
  createDailyStats,
  type Health,
  lockRoles,
  type Role,
  type RoleSet,
  roleList,
} from "./ops";
import type { Scheduler } from "./scheduler";
import { wireAccounts } from "./service-accounts";
import { wireTelegram } from "./service-bot";
import { joinCluster } from "./service-cluster";
import { openServiceDb } from "./service-db";
import { checkFileStore, warnMissingPublicUrl } from "./service-guards";
import { wireHealth } from "./service-health";
import { buildApp, listen } from "./service-http";
import { wireScheduler } from "./service-scheduler";
import { createStop } from "./service-stop";
import type { Settings } from "./settings";
import { VERSION } from "./version";

export { installProcessGuards } from "./service-guards";

export type RunningService = {
  url: string;
  port: number;
  /** The database the service runs on (SQLite file or Postgres, by MM_DATABASE_URL). */
  backend: Backend;
  /** The SQLite handle, for tests' set-up on the file; throws on Postgres (use `backend`). */
  readonly dbh: DbHandle;
  layout: DataLayout;
  jobs: JobService;
  bot: MagicBot;
  notifier: Notifier;
  settings: Settings;
  scheduler: Scheduler;
  /** The e-mail flows (forgot/reset/verify); `idle()` waits for mails in flight. */
  mail: EmailFlows;
  /** Payment receipts and admin notices; `idle()` waits for those in flight. */
  receipts: Receipts;
  health: () => Promise<Health>;
  /** The registered routes (method + path), for the test that every route is documented. */
  routes: () => { method: string; path: string }[];
  /** Graceful stop; resolves when everything is closed. */
  stop: () => Promise<void>;
};

/**
 * Starts the service with `roles` (default all: the embedded one-process setup). On one SQLite folder,
 * processes with disjoint roles run side by side (lockRoles); a worker-less node queues jobs that the
 * worker process claims by polling the shared file. Across machines (Postgres) the exclusive roles are
 * elected by advisory locks instead — the seam is lockRoles, replaced there.
 */
export async function startService(
  config: Config,
  log: Logger,
  roles: RoleSet = ALL_ROLES,
): Promise<RunningService> {
  const layout = dataLayout(config.MM_DATA_DIR);
  // Before anything touches the folder: a second worker on it would re-queue and claim the live one's
  // running jobs. Throws DataFolderLockedError (exit 1, folder and holder's pid named).
  // On Postgres the exclusive roles are leader locks (service-cluster.ts): only the shared folder lock here.
  const lock = lockRoles(layout.root, config.MM_DATABASE_URL ? [] : roleList(roles));
  try {
    return await startLocked(config, log, layout, lock.release, roles);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(
  base: Config,
  log: Logger,
  layout: DataLayout,
  releaseLock: () => void,
  roles: RoleSet,
): Promise<RunningService> {
  const has = (r: Role) => roles.has(r);
  ensureLayout(layout);
  configureAudioTools({ ffmpeg: base.MM_FFMPEG, ffprobe: base.MM_FFPROBE });

  // A bucket that cannot be written stops start-up here, naming it, rather than failing every upload.
  const files = createFileStore(base, layout, log);
  await checkFileStore(files, log);

  // Migrated before anything reads it; `config` is `base` with the runtime overrides read live.
  const { backend, settings, runtime, config } = openServiceDb(base, layout, log);
  warnMissingPublicUrl(config, log);
  const startedAt = new Date();

  // Tiers price jobs for the ledger and read balances from it (a closure: only called once jobs come in).
  // Accounts' stores on the one database (the services take these, never the handle).
  const accountStores = createAccountStores(backend);
  const tiers = createTiers({
    stores: accountStores,
    log,
    billing: config.MM_BILLING,
    balanceOf: (id) => ledger.balance(id),
  });
  const billingStores = createBillingStores(backend);
  const ledger = ledgerOn(billingStores, tiers.costOf);
  // On Postgres this process is a cluster node (src/service-cluster.ts); on SQLite null.
  const cluster = joinCluster({ backend, config, roles, version: VERSION, log });
  const jobs = createJobService({
    backend,
    config,
    log,
    layout,
    files,
    billing: billingSeamFor(config.MM_BILLING, tiers.seam(ledger)),
    canClaim: () => !settings.isMaintenance(),
    workerId: cluster?.id,
    relay: cluster?.relay,
    liveNodes: cluster?.liveIds,
  });
  // Recovery re-queues every running row not this process's: only the folder's one worker may do it.
  // In a cluster only dead nodes' running jobs are taken (attach recovers them).
  if (cluster) cluster.attach(jobs);
  else if (has("worker")) jobs.recover(); // logs jobs_recovered
  // The edges (bot, HTTP, scheduler) get services, never the DB handle.
  const accountServices = wireAccounts({
    stores: accountStores,
    config,
    log,
    tiers,
    ledger,
    jobs,
    botUsername: () => bot.username(),
  });
  const { accounts, referral, telegramLink, bonuses, mailer, mail, auth } = accountServices;
  const audit = createAuditLog(backend);
  const admin = await ensureInitialAdmin({ store: accountStores.auth, log, email: config.MM_ADMIN_EMAIL });
  if (admin === "created" || admin === "promoted")
    audit.record({ actor: "config", action: `admin_${admin}`, target: config.MM_ADMIN_EMAIL });
  const stats = createDailyStats({
    backend,
    jobs: jobs.reports,
    users: accounts,
    // Billing is built below; the stats task and admin stats only call this once the service runs.
    payments: { daySummary: (start, end) => payments.daySummary(start, end) },
  });
  const { plans, payments, stars } = createPaymentServices({
    stores: billingStores,
    config,
    log,
    audit,
    ledger,
    tiers: accounts,
    emailOf: (id) => accounts.find(`#${id}`)?.email,
    // Receipts need the bot and the notifier, built below; nothing settles before start-up completes.
    onSettled: (e) => receipts.onSettled(e),
  });

  // Health reports the bot's state and the bot reports health (/server): the closure reads `bot`, which
  // exists before any request can call it. The bot starts polling only after HTTP is up.
  const botStatus = () => bot.status();
  const health = wireHealth({ config, jobs, layout, startedAt, files, roles, settings, cluster, botStatus });
  const { bot, notifier, receipts } = wireTelegram({
    config,
    log,
    jobs,
    accounts,
    tiers,
    audit,
    layout,
    version: VERSION,
    health,
    maintenance: settings,
    account: { link: telegramLink, referral, bonuses },
    ledger,
    plans,
    mailer,
    stars,
    payments,
  });
  if (has("worker")) jobs.start();

  const uploads = createUploadTracker();
  const app = buildApp({
    ...accountServices,
    config,
    log,
    layout,
    startedAt,
    botStatus,
    health,
    jobs,
    settings,
    runtime,
    uploads,
    accountStores,
    tiers,
    ledger,
    billingStores,
    plans,
    payments,
    stars,
    audit,
    stats,
    bot,
    notifier,
  });
  const { server, url } = listen(config, log, app, roles);

  // A bad MM_CRON_* expression throws here and stops start-up with the variable's name.
  const scheduler = wireScheduler({
    config,
    log,
    layout,
    jobs,
    stats,
    notify: notifier,
    settings,
    payments,
    signIn: auth,
    accounts,
    bot,
    mailer,
  });
  // In a cluster the leader locks start them, on one node each (and another takes over when it dies).
  if (cluster) cluster.lead({ bot, scheduler });
  else if (has("scheduler")) scheduler.start();

  // Never throws: a wrong token is logged and shows as bot "error" in health; HTTP keeps serving.
  // Without the bot role the bot still sends (notices, receipts) but another node polls Telegram.
  if (has("bot") && !cluster) await bot.start();
  void notifier.startup(VERSION);

  const stop = createStop({
    log,
    uploads,
    server,
    cluster,
    bot,
    scheduler,
    receipts,
    notifier,
    mail,
    mailer,
    jobs,
    files,
    closeDb: () => closeBackend(backend),
    releaseLock,
  });

  return {
    url,
    port: server.port ?? 0,
    backend,
    get dbh() {
      return sqliteHandleOf(backend, "RunningService.dbh");
    },
    layout,
    jobs,
    bot,
    notifier,
    settings,
    scheduler,
    mail,
    receipts,
    health,
    routes: () => app.routes.map((r) => ({ method: r.method, path: r.path })),
    stop,
  };
}
