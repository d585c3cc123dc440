// The OpenAPI rows and answer schemas of the admin panel's users API (admin-users.ts), spread into
// openapi.ts's ROUTES and SCHEMAS (kept apart so the shared table file stays small).
import type { RouteDoc } from "./openapi";
import {
  AdminBalanceSchema,
  AdminOrderListSchema,
  AdminOrderSchema,
  AdminRevokeSchema,
  AdminUserDeletedSchema,
  AdminUserDetailSchema,
  AdminUserLineSchema,
  AdminUserListSchema,
  BalanceInput,
  DeleteInput,
  RevokeInput,
  TierInput,
} from "./schemas-admin-users";

export const ADMIN_USER_SCHEMAS = {
  AdminUserList: AdminUserListSchema,
  AdminUserLine: AdminUserLineSchema,
  AdminUserDetail: AdminUserDetailSchema,
  AdminBalance: AdminBalanceSchema,
  AdminRevoke: AdminRevokeSchema,
  AdminUserDeleted: AdminUserDeletedSchema,
  AdminOrderList: AdminOrderListSchema,
  AdminOrder: AdminOrderSchema,
};

const admin = "admin" as const;
const USERS_QUERY = ["q", "tier", "banned", "has_balance", "deleted", "limit", "offset"];

export const ADMIN_USER_ROUTES: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/admin/users",
    summary: "Users: search (e-mail, @username, Telegram id, #id, job id), filters, pages",
    access: admin,
    query: USERS_QUERY,
    ok: { 200: "AdminUserList" },
  },
  {
    method: "GET",
    path: "/api/admin/users/export.csv",
    summary: "The users matching the filters as CSV (RFC 4180, UTF-8 with BOM)",
    access: admin,
    query: USERS_QUERY,
    ok: { 200: "csv" },
  },
  {
    method: "GET",
    path: "/api/admin/users/:id{[0-9]+}",
    summary: "One user: profile, Telegram link, jobs, ledger, payments, referrals, sessions, API keys",
    access: admin,
    ok: { 200: "AdminUserDetail" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:id{[0-9]+}/tier",
    summary: "Put the user on a tier until an expiry (audited before/after)",
    access: admin,
    body: "json",
    input: TierInput,
    ok: { 200: "AdminUserLine" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:id{[0-9]+}/balance",
    summary: "Adjust the balance: one ledger row with the reason, once per ref (audited)",
    access: admin,
    body: "json",
    input: BalanceInput,
    ok: { 200: "AdminBalance" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:id{[0-9]+}/revoke",
    summary: "End the user's sessions and/or revoke their API keys (all or by id)",
    access: admin,
    body: "json",
    input: RevokeInput,
    ok: { 200: "AdminRevoke" },
  },
  {
    method: "POST",
    path: "/api/admin/users/:id{[0-9]+}/delete",
    summary: "Delete the account: files deleted, personal data cleared, ledger and payments kept",
    access: admin,
    body: "json",
    input: DeleteInput,
    ok: { 200: "AdminUserDeleted" },
  },
  {
    method: "GET",
    path: "/api/admin/payments",
    summary: "Orders: filters (status, provider, user, plan, order or provider payment id), pages",
    access: admin,
    query: ["status", "provider", "user", "plan", "id", "limit", "offset"],
    ok: { 200: "AdminOrderList" },
  },
  {
    method: "GET",
    path: "/api/admin/payments/:id{[0-9a-fA-F-]{8,64}}",
    summary: "One order as stored (provider payment id, confirmation URL, last error, times)",
    access: admin,
    ok: { 200: "AdminOrder" },
  },
];
