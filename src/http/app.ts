// The Hono app: middleware order and the route table, readable top to bottom.
// security headers → request id → access log → origin guard → routes → JSON errors (onError / notFound).

import { Hono } from "hono";
import { noteStorageFault } from "../db";
import type { HttpDeps } from "./deps";
import { notFound, onError } from "./errors";
import { accessLog } from "./middleware/access-log";
import { originGuard } from "./middleware/origin-guard";
import { type RequestIdEnv, requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";
import { healthRoutes } from "./routes/health";
import { statusPage } from "./routes/status-page";

export type AppEnv = RequestIdEnv;

/** Extra route groups mounted by other areas (jobs API, admin, static web); see main.ts. */
export type RouteMount = (app: Hono<AppEnv>) => void;

export function createApp(deps: HttpDeps, mounts: RouteMount[] = []): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  app.use("*", requestId());
  app.use("*", accessLog(deps.log, deps.counters));
  app.use(
    "*",
    originGuard({ publicUrl: deps.config.MM_PUBLIC_URL, corsOrigins: deps.config.MM_CORS_ORIGINS }),
  );

  app.route("/", healthRoutes(deps));
  app.route("/", statusPage(deps));
  for (const mount of mounts) mount(app);

  app.onError(onError(deps.log, (err) => noteStorageFault(deps.layout.root, err)));
  app.notFound(notFound);
  return app;
}
