// The running service's HTTP side (src/service.ts): the Hono app with its API, admin and web mounts built
// from the areas' services, and the server listening for it (a node without the api role answers only
// its probes). Kept beside service.ts so that file only gains two calls.

import { hostname } from "node:os";
import type { Hono } from "hono";
import { type AccountStores, createAdminUsers, createPresets, MAX_PRESETS, type Tiers } from "./accounts";
import {
  type BillingStores,
  type Ledger,
  type Payments,
  type Plans,
  plategaConfigured,
  type StarsPayments,
} from "./billing";
import type { MagicBot } from "./bot";
import type { Config } from "./config";
import type { AuditLog } from "./db";
import type { DataLayout, UploadTracker } from "./files";
import { type AppEnv, adminMount, apiMount, createApp, type HttpDeps, newCounters, webMount } from "./http";
import { errorMessage, pickLang } from "./i18n";
import type { JobService } from "./jobs";
import type { Logger } from "./log";
import type { Notifier } from "./notify";
import { type DailyStats, type Role, roleList } from "./ops";
import type { AccountServices } from "./service-accounts";
import { adminOpsDeps, adminPaymentsDeps } from "./service-admin";
import type { Runtime, Settings } from "./settings";
import { VERSION } from "./version";

export type AppWiring = AccountServices & {
  /** The live config (runtime settings read through it). */
  config: Config;
  log: Logger;
  layout: DataLayout;
  startedAt: Date;
  botStatus: HttpDeps["botStatus"];
  health: HttpDeps["health"];
  jobs: JobService;
  settings: Settings;
  runtime: Runtime;
  uploads: UploadTracker;
  accountStores: AccountStores;
  tiers: Tiers;
  ledger: Ledger;
  billingStores: BillingStores;
  plans: Plans;
  payments: Payments;
  stars: StarsPayments;
  audit: AuditLog;
  stats: DailyStats;
  bot: MagicBot;
  notifier: Notifier;
};

/** The app from the wiring as service.ts built it: taken whole, each mount picks what it needs. */
export function buildApp(w: AppWiring): Hono<AppEnv> {
  const { config, log, jobs, settings, payments, billingStores } = w;
  // The admin panel's users pages: accounts' own tables, with jobs and money through their services.
  const { balances } = billingStores;
  const users = {
    users: createAdminUsers({
      stores: w.accountStores,
      log,
      jobOwner: (id: string) => {
        const j = jobs.get(id);
        return j ? { userId: j.user_id, ownerKey: j.owner_key } : undefined;
      },
      withBalance: balances.positive,
      purgeJobs: jobs.purgeOfUser,
    }),
    jobs,
    ledger: w.ledger,
    balances,
    orders: billingStores.orderAdmin,
    audit: w.audit,
  };
  const counters = newCounters();
  const orders = () => payments.stats();
  return createApp(
    { ...w, counters, version: VERSION, orders },
    // The web app's catch-all static handler goes last so API routes win.
    [
      apiMount({
        ...w,
        maintenance: settings,
        flags: settings,
        balanceOf: (id) => w.ledger.balance(id),
        payments: {
          plans: w.plans,
          payments,
          webhookIps: config.MM_YOOKASSA_WEBHOOK_IPS,
          platega: plategaConfigured(config)
            ? { merchantId: config.MM_PLATEGA_MERCHANT_ID, secret: config.MM_PLATEGA_SECRET }
            : undefined,
          log,
        },
        presets: { service: createPresets(w.accountStores.presets), limit: MAX_PRESETS },
        account: { link: w.telegramLink, referral: w.referral },
      }),
      adminMount({
        ...w,
        orders,
        users,
        payments: adminPaymentsDeps({ ...w, billing: billingStores }),
        ops: adminOpsDeps({ ...w, counters, billing: billingStores }),
      }),
      webMount(),
    ],
  );
}

/** Paths a node without the api role still answers (probes, Prometheus); the rest is role_not_served. */
const PROBE_PATHS = new Set(["/api/health", "/api/metrics", "/metrics"]);

/** A node without the api role serves only its probes, so a balancer never sends users to it. */
function probesOnly(fetch: (req: Request) => Response | Promise<Response>, roles: readonly Role[]) {
  return (req: Request): Response | Promise<Response> => {
    if (PROBE_PATHS.has(new URL(req.url).pathname)) return fetch(req);
    const code = "role_not_served";
    const message = errorMessage(pickLang(req.headers.get("accept-language")), code, {
      roles: roles.join(","),
    });
    return Response.json({ error: { code, message } }, { status: 404 });
  };
}

/** Serves `app` on MM_HOST:PORT (with the api role; else only its probes) and logs server_started. */
export function listen(
  config: Config,
  log: Logger,
  app: Hono<AppEnv>,
  roles: ReadonlySet<Role>,
): { server: Bun.Server<undefined>; url: string } {
  const has = (r: Role) => roles.has(r);
  const maxUploadMb = Math.max(
    config.MM_UPLOAD_MAX_MB_WAV,
    config.MM_UPLOAD_MAX_MB_FLAC,
    config.MM_UPLOAD_MAX_MB_LOSSY,
  );
  const server = Bun.serve({
    port: config.PORT,
    hostname: config.MM_HOST,
    fetch: has("api") ? app.fetch : probesOnly(app.fetch, roleList(roles)),
    // Uploads are streamed and limited per format by the upload code; this is only the outer bound.
    maxRequestBodySize: (maxUploadMb + 64) * 1024 * 1024,
    // SSE streams and slow uploads must not be cut by the default 10 s idle timeout.
    idleTimeout: 255,
    // Never Bun's development error page (it shows the stack, paths and the working folder): what
    // escapes the app (a body stream failing after the headers) is logged and answered as JSON.
    development: false,
    error(err) {
      log.error("http_unhandled", err.message, { stack: err.stack });
      return Response.json(
        { error: { code: "internal_error", message: "Internal error" }, detail: "Internal error" },
        { status: 500 },
      );
    },
  });
  const url = `http://${server.hostname}:${server.port}`;
  log.info("server_started", `listening on ${url}`, {
    url,
    port: server.port,
    version: VERSION,
    pid: process.pid,
    machine: hostname(),
    roles: roleList(roles),
  });
  return { server, url };
}
