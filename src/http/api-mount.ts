// Mounts the mastering API on the app: CORS → client IP → rate limit → per-IP stream/upload caps → body
// limit → routes.
// main.ts builds a JobService and passes it here; nothing in this file does work of its own.
import type { Context } from "hono";
import type { ApiKeys, Auth, EmailFlows, Presets, Referral, TelegramLink, Tiers } from "../accounts";
import type { Ledger } from "../billing";
import type { Config } from "../config";
import { createUploadTracker, type DataLayout, type OwnerLimit, type UploadTracker } from "../files";
import type { JobService } from "../jobs";
import type { AppEnv, RouteMount } from "./app";
import { callerMiddleware } from "./middleware/auth";
import { bodyLimit } from "./middleware/body-limit";
import { clientIp } from "./middleware/client-ip";
import { cors } from "./middleware/cors";
import { featureGate } from "./middleware/feature-gate";
import { type MaintenanceOptions, maintenanceMiddleware } from "./middleware/maintenance";
import { perIpCap } from "./middleware/per-ip-cap";
import { rateLimit } from "./middleware/rate-limit";
import { apiKeyRoutes } from "./routes/api-keys";
import { authRoutes } from "./routes/auth";
import { authMailRoutes } from "./routes/auth-mail";
import { batchRoutes } from "./routes/batch";
import { catalogRoutes } from "./routes/catalog";
import { historyRoutes } from "./routes/history";
import { isOwnStatusRead, jobsRoutes } from "./routes/jobs";
import { limitsRoutes } from "./routes/limits";
import { masterRoutes, ownerOf } from "./routes/master";
import { measureRoutes } from "./routes/measure";
import { openApiRoutes } from "./routes/openapi";
import { type PaymentsRoutesDeps, paymentsRoutes, WEBHOOK_PATH } from "./routes/payments";
import { plotsRoutes } from "./routes/plots";
import { presetRoutes } from "./routes/presets";
import { accountRoutes } from "./routes/telegram-link";

export type ApiDeps = {
  config: Config;
  layout: DataLayout;
  jobs: JobService;
  /** A tier's upload limit per owner (accounts plug in here); default: format limits only. */
  ownerLimit?: OwnerLimit;
  /** How long POST /api/measure waits for its analysis before answering 202 (default 60 s). */
  measureWaitMs?: number;
  /** Maintenance mode: new submissions answer 503 (after CORS, so browsers can read the message). */
  maintenance?: MaintenanceOptions["settings"];
  /** Feature flags (src/settings): a route whose flag is off answers 503 feature_disabled. */
  flags?: Parameters<typeof featureGate>[0];
  /** Uploads in progress; the service aborts them on shutdown (default: a tracker of its own). */
  uploads?: UploadTracker;
  /** Sign-in (sessions); without it every caller is a guest and /api/auth/* does not exist. */
  auth?: Auth;
  /** API keys (`Bearer mm_…` / `X-API-Key`) and /api/auth/api-keys; without it no key is accepted. */
  keys?: ApiKeys;
  /** A user's token balance (the ledger through billing's index); 0 when not given. */
  balanceOf?: (userId: number) => number;
  /** Tiers and limits (accounts): GET /api/limits and the checks at submission; without it nothing is limited. */
  tiers?: Tiers;
  /** E-mail flows (forgot/reset/verify); mounted only together with `auth`. */
  mail?: EmailFlows;
  /** Plans, orders and the YooKassa notification route; without it /api/payments/* does not exist. */
  payments?: PaymentsRoutesDeps;
  /** The caller's ledger page (GET /api/auth/ledger); without it that route does not exist. */
  ledger?: Pick<Ledger, "page" | "balance">;
  /** Saved chain presets (/api/auth/presets); without it those routes do not exist. */
  presets?: { service: Presets; limit: number };
  /** The Telegram link and the referral programme (with `auth`: /api/auth/telegram/*, /api/referral/*). */
  account?: { link: TelegramLink; referral: Referral };
};

/** SSE streams are long-lived and polled by design; counting them would lock out a watching client. */
const isStream = (path: string) => path.endsWith("/events") || path.startsWith("/api/master/progress/");
const isUpload = (c: Context) =>
  c.req.method === "POST" && /^multipart\/form-data/i.test(c.req.header("content-type") ?? "");

export function apiMount(d: ApiDeps): RouteMount {
  return (app) => {
    const api = app as unknown as import("hono").Hono<AppEnv & { Variables: { clientIp: string } }>;
    api.use("/api/*", cors({ origins: d.config.MM_CORS_ORIGINS }));
    api.use("/api/*", clientIp({ trustedProxies: d.config.MM_TRUSTED_PROXIES }));
    api.use("/api/*", callerMiddleware(d.auth, d.keys));
    api.use(
      "/api/*",
      rateLimit({
        // Read per request: a runtime setting (src/settings/runtime.ts) may change it.
        perMinute: () => d.config.MM_RATE_LIMIT_PER_MIN,
        // A stream of a job one may watch is free; a stream lookup that fails (unknown id) is counted.
        countFailures: (c) => isStream(c.req.path),
        // Polling one's own jobs with their token is not anonymous use (the original's batch polls 1.2 s/job).
        // The payment provider's notifications come from a few addresses and must never be throttled away.
        exempt: (c) => isOwnStatusRead(c, d.jobs, ownerOf(c)) || c.req.path === WEBHOOK_PATH,
      }),
    );
    api.use(
      "/api/*",
      perIpCap({
        max: d.config.MM_SSE_PER_IP,
        applies: (c) => c.req.method === "GET" && isStream(c.req.path),
        code: "too_many_streams",
        retryAfterS: 10,
        hold: "body",
      }),
    );
    api.use(
      "/api/*",
      perIpCap({
        max: d.config.MM_UPLOADS_PER_IP,
        applies: isUpload,
        code: "too_many_uploads",
        retryAfterS: 10,
        hold: "handler",
      }),
    );
    api.use("/api/*", bodyLimit({ maxBytes: 64 * 1024 }));
    if (d.maintenance) api.use("/api/*", maintenanceMiddleware({ settings: d.maintenance }));
    if (d.flags) api.use("/api/*", featureGate(d.flags));
    const routes = {
      config: d.config,
      uploadsDir: d.layout.uploads,
      ownerLimit: d.ownerLimit,
      jobs: d.jobs,
      publicUrl: d.config.MM_PUBLIC_URL,
      uploads: d.uploads ?? createUploadTracker(),
      tiers: d.tiers,
    };
    if (d.auth)
      api.route(
        "/",
        authRoutes({
          auth: d.auth,
          publicUrl: d.config.MM_PUBLIC_URL,
          balanceOf: d.balanceOf,
          verifyByMail: d.mail?.required,
        }),
      );
    if (d.auth && d.mail) api.route("/", authMailRoutes({ mail: d.mail, publicUrl: d.config.MM_PUBLIC_URL }));
    if (d.tiers) api.route("/", limitsRoutes(d.tiers, d.config));
    if (d.payments) api.route("/", paymentsRoutes(d.payments));
    if (d.auth)
      api.route("/", historyRoutes({ jobs: d.jobs, publicUrl: d.config.MM_PUBLIC_URL, ledger: d.ledger }));
    if (d.auth && d.presets)
      api.route("/", presetRoutes({ presets: d.presets.service, limit: d.presets.limit }));
    if (d.auth && d.account) api.route("/", accountRoutes({ ...d.account, balanceOf: d.balanceOf }));
    if (d.auth && d.keys) api.route("/", apiKeyRoutes(d.keys));
    api.route("/", catalogRoutes());
    api.route("/", openApiRoutes());
    api.route("/", masterRoutes(routes));
    api.route("/", batchRoutes(routes));
    api.route("/", measureRoutes({ ...routes, measureWaitMs: d.measureWaitMs ?? 60_000 }));
    api.route("/", plotsRoutes(routes));
    api.route("/", jobsRoutes(routes));
  };
}
