// Feature flags at the HTTP edge: a route whose flag an operator switched off (`magic-master admin flags
// set batch off`) answers 503 feature_disabled; flags never set count as on. Read through the settings
// cache, so a change takes effect within seconds and without a restart.
import type { MiddlewareHandler } from "hono";
import type { Settings } from "../../settings";
import { errorResponse } from "../errors";

/** Which flag guards which POST route. */
export const FEATURE_ROUTES: Readonly<Record<string, string>> = {
  "/api/v2/batch": "batch",
  "/api/v2/preview": "preview",
  "/api/measure": "measure",
};

export function featureGate(settings: Pick<Settings, "flag">, routes = FEATURE_ROUTES): MiddlewareHandler {
  return async function featureGate(c, next) {
    const path = c.req.path.length > 1 ? c.req.path.replace(/\/+$/, "") : c.req.path;
    const flag = c.req.method === "POST" ? routes[path] : undefined;
    if (flag && !settings.flag(flag, true))
      return errorResponse(c, 503, "feature_disabled", { feature: flag });
    return next();
  };
}
