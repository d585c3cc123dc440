// Answers of the admin panel's users API (/api/admin/users…): strict schemas, answers are projected onto
// them, so no column (a password hash, a token hash) can reach the JSON by accident.
import { z } from "zod";

const ms = z.number().int().describe("Unix ms");
const msOrNull = ms.nullable();

export const AdminUserLineSchema = z.strictObject({
  id: z.number().int(),
  email: z.string().nullable(),
  email_verified: z.boolean(),
  telegram_id: z.string().nullable(),
  username: z.string().nullable().describe("Telegram username"),
  tier: z.string(),
  tier_expires_at: msOrNull,
  is_admin: z.boolean(),
  banned: z.boolean(),
  banned_at: msOrNull,
  ban_reason: z.string().nullable(),
  deleted_at: msOrNull.describe("Set when an admin deleted (anonymised) the account"),
  balance: z.number().int().describe("Tokens (the sum of the user's ledger rows)"),
  lang: z.enum(["ru", "en"]),
  created_at: ms,
  last_seen_at: msOrNull,
});

export const AdminUserListSchema = z.strictObject({
  total: z.number().int().describe("Users matching the filters in all"),
  limit: z.number().int(),
  offset: z.number().int(),
  users: z.array(AdminUserLineSchema).describe("Newest first"),
});

const JobLine = z.strictObject({
  id: z.string(),
  status: z.string(),
  kind: z.string(),
  source: z.string(),
  original_name: z.string(),
  cost: z.number().int(),
  error: z.string().nullable().describe("The failure's code"),
  created_at: ms,
  finished_at: msOrNull,
});
export const LedgerLine = z.strictObject({
  id: z.number().int(),
  delta: z.number().int(),
  reason: z.string(),
  ref: z.string(),
  actor: z.string(),
  note: z.string().nullable(),
  created_at: ms,
});
const OrderLine = z.strictObject({
  id: z.string(),
  plan: z.string(),
  provider: z.string(),
  status: z.string(),
  amount_minor: z.number().int(),
  currency: z.string(),
  created_at: ms,
  paid_at: msOrNull,
});
const ReferralLine = z.strictObject({
  id: z.number().int().describe("The other user's id"),
  email: z.string().nullable(),
  username: z.string().nullable(),
  via: z.string(),
  status: z.string(),
  created_at: ms,
});
const SessionLine = z.strictObject({
  id: z.number().int(),
  created_at: ms,
  last_seen_at: ms,
  expires_at: ms,
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
});
const KeyLine = z.strictObject({
  id: z.number().int(),
  prefix: z.string().describe("The key's first characters (the key itself is never stored)"),
  name: z.string(),
  created_at: ms,
  last_used_at: msOrNull,
  revoked_at: msOrNull,
});

export const AdminUserDetailSchema = z.strictObject({
  user: AdminUserLineSchema,
  telegram: z.strictObject({
    linked: z.boolean().describe("A Telegram account belongs to this user"),
    telegram_id: z.string().nullable(),
    username: z.string().nullable(),
    bot_blocked: z.boolean(),
    merged_ids: z.array(z.number().int()).describe("Telegram-only rows merged into this account by /link"),
  }),
  jobs: z.array(JobLine).describe("The newest 20"),
  job_counts: z.strictObject({
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    last_at: msOrNull,
  }),
  ledger: z.array(LedgerLine).describe("The newest 50 rows"),
  orders: z.array(OrderLine).describe("The newest 50 orders"),
  referrals: z.strictObject({ invited_by: ReferralLine.nullable(), invited: z.array(ReferralLine) }),
  sessions: z.array(SessionLine),
  api_keys: z.array(KeyLine),
});

export const AdminBalanceSchema = z.strictObject({
  user: z.number().int().describe("The user's id"),
  delta: z.number().int(),
  balance: z.number().int(),
  ledger_id: z.number().int(),
  applied: z.boolean().describe("false: this ref was applied before (a repeat changes nothing)"),
});

export const AdminRevokeSchema = z.strictObject({
  sessions_ended: z.number().int(),
  keys_revoked: z.number().int(),
});

export const AdminUserDeletedSchema = z.strictObject({
  user: AdminUserLineSchema,
  jobs: z.number().int().describe("Job rows whose files were deleted or that were cancelled"),
  files: z.number().int().describe("Files removed from disk"),
  sessions_ended: z.number().int(),
  keys_revoked: z.number().int(),
});

/** Input bodies (documented as requestBody). */
export const TierInput = z.strictObject({
  tier: z.string().min(1).max(32),
  expires_at: ms.nullable().describe("null: no end (free never ends)"),
  reason: z.string().trim().min(1).max(500),
});
export const BalanceInput = z.strictObject({
  delta: z
    .number()
    .int()
    .refine((n) => n !== 0 && Math.abs(n) <= 1_000_000, "a non-zero whole number up to 1,000,000"),
  reason: z.string().trim().min(1).max(500),
  ref: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .describe("The form's id: the same ref adjusts once (a double click, a retry)"),
});
const ids = z.union([z.literal("all"), z.array(z.number().int().positive()).max(100)]);
export const RevokeInput = z
  .strictObject({ sessions: ids.optional(), keys: ids.optional(), reason: z.string().trim().min(1).max(500) })
  .refine((b) => b.sessions !== undefined || b.keys !== undefined, "name sessions or keys");
export const DeleteInput = z.strictObject({
  confirm: z.number().int().describe("The user's id again: a typo cannot delete another account"),
  reason: z.string().trim().min(1).max(500),
});

export const AdminOrderSchema = z.strictObject({
  id: z.string(),
  user: z.number().int().describe("The buyer's user id"),
  plan: z.string(),
  kind: z.string(),
  tier: z.string().nullable(),
  period_days: z.number().int(),
  tokens: z.number().int(),
  amount_minor: z.number().int(),
  currency: z.string(),
  provider: z.string(),
  provider_payment_id: z.string().nullable(),
  confirmation_url: z.string().nullable(),
  status: z.string(),
  last_error: z.string().nullable().describe("The provider's last failure while creating"),
  created_at: ms,
  updated_at: ms,
  paid_at: msOrNull,
  refunded_at: msOrNull,
});

export const AdminOrderListSchema = z.strictObject({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  orders: z.array(AdminOrderSchema).describe("Newest first"),
});
