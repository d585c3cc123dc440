// What most verbs need: validated config, the data layout and the area services over the existing
// database. This file is the CLI's wiring (as service.ts is the service's): the only one in cli/ that
// opens the database; verbs get services, never the handle.
import { existsSync } from "node:fs";
import {
  type Accounts,
  type Auth,
  createAccountStores,
  createAccounts,
  createAuth,
  createTiers,
  type Tiers,
} from "../accounts";
import {
  type BillingAnalytics,
  billingSeamFor,
  createBillingStores,
  createPaymentServices,
  type Ledger,
  ledgerOn,
  type Payments,
  type Plans,
  type StarsPayments,
} from "../billing";
import { type Config, loadConfig } from "../config";
import { type AuditLog, closeBackend, createAuditLog, migrateBackend, openBackend } from "../db";
import { type DataLayout, dataLayout, ensureLayout } from "../files";
import { createJobService, type JobService } from "../jobs";
import { type Logger, silentLogger } from "../log";
import { createDailyStats, type DailyStats, localChecks, type SmokeCheck } from "../ops";
import { createSettings, type Settings } from "../settings";
import type { CliIo } from "./types";

export type CliContext = { config: Config; layout: DataLayout };

export function cliContext(io: CliIo): CliContext {
  const config = loadConfig(io.env, io.envFile);
  return { config, layout: dataLayout(config.MM_DATA_DIR) };
}

export type CliServices = {
  /** The job service without its pool: the CLI reads, cancels and runs maintenance, never jobs. */
  jobs: JobService;
  accounts: Accounts;
  /** Tiers as data (`admin tiers`). */
  tiers: Tiers;
  /** Sign-in: `cron run auth_sweep` deletes expired sessions through it. */
  signIn: Auth;
  /** The token ledger, whatever MM_BILLING says (an operator may credit before switching it on). */
  ledger: Ledger;
  /** Uncached, so a value the service changed a moment ago is what the operator sees. */
  settings: Settings;
  audit: AuditLog;
  stats: DailyStats;
  /** The price list (admin plans) and the orders' figures (admin stats). */
  plans: Plans;
  /** Orders: their figures (admin stats) and the reconcile task (cron run reconcile). */
  payments: Payments;
  /** Top spenders and payment analytics (admin top-spenders, payments-stats). */
  billingStats: BillingAnalytics;
  /** Telegram Stars orders (admin refund). */
  stars: StarsPayments;
  config: Config;
  log: Logger;
  /** smoke-check's database and data-folder checks. */
  localChecks: (renderTone: () => Promise<void>) => SmokeCheck[];
};

/**
 * Opens the existing database, migrated to head, runs `fn` with the services over it and closes it.
 * Only serve, migrate and restore create a database: an admin verb run from the wrong folder (MM_DATA_DIR
 * unset) would otherwise work on a fresh, empty one and report "user not found" instead of the mistake.
 */
export async function withServices<T>(
  ctx: CliContext,
  fn: (s: CliServices) => T | Promise<T>,
  log: Logger = silentLogger,
): Promise<T> {
  const databaseUrl = ctx.config.MM_DATABASE_URL;
  // A Postgres database is made by `migrate`; only the SQLite file can be missing by a wrong MM_DATA_DIR.
  if (!databaseUrl && !existsSync(ctx.layout.db))
    throw new Error(`no database at ${ctx.layout.db}; set MM_DATA_DIR`);
  ensureLayout(ctx.layout); // a copied-in database may lack backups/ or work/
  const backend = openBackend({ databaseUrl, sqlitePath: ctx.layout.db });
  try {
    migrateBackend(backend);
    const stores = createAccountStores(backend);
    const tiers = createTiers({
      stores,
      log,
      billing: ctx.config.MM_BILLING,
      balanceOf: (id) => ledger.balance(id),
    });
    const billingStores = createBillingStores(backend);
    const ledger = ledgerOn(billingStores, tiers.costOf);
    const billing = billingSeamFor(ctx.config.MM_BILLING, tiers.seam(ledger));
    const jobs = createJobService({ backend, config: ctx.config, log, layout: ctx.layout, billing });
    const accounts = createAccounts({
      stores,
      log,
      jobsOfUser: jobs.reports.countsOfUser,
      cancelQueuedJobs: (id, owners, actor) => jobs.cancelQueuedOfUser(id, owners, actor).length,
    });
    const audit = createAuditLog(backend);
    const { plans, payments, stars } = createPaymentServices({
      stores: billingStores,
      config: ctx.config,
      log,
      audit,
      ledger,
      tiers: accounts,
      emailOf: (id) => accounts.find(`#${id}`)?.email,
    });
    return await fn({
      jobs,
      ledger,
      accounts,
      tiers,
      signIn: createAuth({
        store: stores.auth,
        emailTokens: stores.emailTokens,
        log,
        sessionDays: ctx.config.MM_SESSION_DAYS,
      }),
      settings: createSettings(backend, { cacheMs: 0 }),
      audit,
      plans,
      payments,
      billingStats: billingStores.analytics,
      stars,
      config: ctx.config,
      log,
      stats: createDailyStats({ backend, jobs: jobs.reports, users: accounts, payments }),
      localChecks: (renderTone) => localChecks(backend, ctx.layout.root, renderTone),
    });
  } finally {
    closeBackend(backend);
  }
}

/** Prints `value` as JSON or as aligned `key  value` lines. */
export function printRecord(io: CliIo, json: boolean, value: Record<string, unknown>): void {
  if (json) {
    io.out(JSON.stringify(value, null, 2));
    return;
  }
  const width = Math.max(...Object.keys(value).map((k) => k.length));
  for (const [k, v] of Object.entries(value))
    io.out(`${k.padEnd(width)}  ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
}
