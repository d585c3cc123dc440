// The OpenAPI rows and answer schemas of API keys and the admin ban routes, spread into openapi.ts's
// ROUTES and SCHEMAS (kept apart so the shared table file stays small).
import { CreateApiKeyInput } from "../../accounts";
import { ApiKeyCreatedSchema, ApiKeyListSchema } from "./auth-schemas";
import type { RouteDoc } from "./openapi";
import { AdminUserBanSchema } from "./schemas-info";

export const KEY_SCHEMAS = {
  ApiKeyList: ApiKeyListSchema,
  ApiKeyCreated: ApiKeyCreatedSchema,
  AdminUserBan: AdminUserBanSchema,
};

export const KEY_ROUTES: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/auth/api-keys",
    summary: "The caller's active API keys (a session or an API key)",
    access: "session",
    ok: { 200: "ApiKeyList" },
  },
  {
    method: "POST",
    path: "/api/auth/api-keys",
    summary:
      "Create an API key (a session only; tiers with API keys; at most 10 active): the key is shown once",
    access: "session",
    body: "json",
    input: CreateApiKeyInput,
    ok: { 201: "ApiKeyCreated" },
  },
  {
    method: "DELETE",
    path: "/api/auth/api-keys/:id",
    summary: "Revoke an API key (a session only); it stops working at once",
    access: "session",
    ok: { 200: "Ok" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:ref/ban",
    summary: "Ban ({reason?}): ends sessions, refuses keys and the bot, cancels + refunds queued jobs",
    access: "admin",
    body: "json",
    ok: { 200: "AdminUserBan" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:ref/unban",
    summary: "Lift a ban (keys and the bot work again; sessions must sign in anew)",
    access: "admin",
    ok: { 200: "AdminUserBan" },
  },
];
