// Public face of the HTTP layer: the Hono app and the route groups service.ts mounts on it.
export { type ApiDeps, apiMount } from "./api-mount";
export { type AppEnv, createApp, type RouteMount } from "./app";
export { type HttpDeps, newCounters, type RequestCounters } from "./deps";
export { type AdminDeps, adminMount } from "./routes/admin";
export type { AdminOpsDeps } from "./routes/admin-ops";
export type { AdminPaymentsRoutesDeps } from "./routes/admin-payments";
export { webMount } from "./routes/web";
