// Maintenance mode at the HTTP edge: new submissions get 503 + Retry-After with the operator's message;
// everything else (status, SSE, downloads, cancel, health) keeps working so running jobs finish normally.

import type { MiddlewareHandler } from "hono";
import { t } from "../../i18n";
import type { Settings } from "../../settings";
import type { RouteMount } from "../app";
import { errorResponse, langOf } from "../errors";

/** Every POST that creates a job. Kept here so one list decides what maintenance blocks. */
export const SUBMISSION_PATHS: readonly string[] = [
  "/api/v2/master",
  "/api/v2/batch",
  "/api/v2/preview",
  "/api/measure",
  "/api/master",
];

export type MaintenanceOptions = {
  settings: Pick<Settings, "isMaintenance" | "maintenanceMessage">;
  /** Seconds a client should wait before retrying (default 300). */
  retryAfterS?: number;
  paths?: readonly string[];
};

export function maintenanceMiddleware({
  settings,
  retryAfterS = 300,
  paths = SUBMISSION_PATHS,
}: MaintenanceOptions): MiddlewareHandler {
  return async function maintenanceGuard(c, next) {
    const path = c.req.path.length > 1 ? c.req.path.replace(/\/+$/, "") : c.req.path;
    if (c.req.method !== "POST" || !paths.includes(path) || !settings.isMaintenance()) return next();
    c.header("Retry-After", String(retryAfterS));
    const message = settings.maintenanceMessage() || t(langOf(c), "maintenance_default_message");
    return errorResponse(c, 503, "maintenance", { message });
  };
}

/**
 * Mounts the guard on "/api/*". It must be registered before the routes it guards (Hono runs handlers in
 * registration order), so pass it to createApp ahead of the mastering API mount.
 */
export function maintenanceMount(opts: MaintenanceOptions): RouteMount {
  return (app) => {
    app.use("/api/*", maintenanceMiddleware(opts));
  };
}
