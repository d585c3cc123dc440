// The zod schemas of /api/auth/*: what each answer looks like. Routes build answers through them and
// /api/openapi.json is generated from them (strict, like every answer schema: no undocumented field).
import { z } from "zod";
import type { ApiKeyRecord, AuthUser } from "../../accounts";

export const MeSchema = z.strictObject({
  id: z.number().int(),
  email: z.string().nullable(),
  tier: z.string(),
  tier_expires_at: z.number().nullable().describe("Unix ms when a paid tier ends (null: no expiry)"),
  balance: z.number().int().describe("Token balance"),
  is_admin: z.boolean(),
  telegram_linked: z.boolean(),
  email_verified: z.boolean(),
});

export const SessionSchema = z.strictObject({
  token: z
    .string()
    .describe("Session token: send as `Authorization: Bearer <token>` (browsers get the cookie)"),
  expires_at: z.number().describe("Unix ms"),
  user: MeSchema,
});

export const RegisterAcceptedSchema = z.strictObject({
  status: z.literal("accepted"),
  message: z.string().describe("The same for a new and a known e-mail (no enumeration)"),
});

/** forgot-password: the same shape and text for a known and an unknown e-mail. */
export const AcceptedSchema = RegisterAcceptedSchema;

/** A finished e-mail flow (reset, verify) with a sentence to show. */
export const DoneSchema = z.strictObject({ ok: z.literal(true), message: z.string() });

export const OkSchema = z.strictObject({ ok: z.literal(true) });

/** The public view of a user; balance comes from billing once the ledger exists. */
export function meView(u: AuthUser, balance = 0): z.infer<typeof MeSchema> {
  return MeSchema.parse({
    id: u.id,
    email: u.email,
    tier: u.tier,
    tier_expires_at: u.tierExpiresAt,
    balance,
    is_admin: u.isAdmin,
    telegram_linked: u.telegramId !== null,
    email_verified: u.emailVerifiedAt !== null,
  });
}

export const ApiKeySchema = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  prefix: z
    .string()
    .describe("The key's first characters, to tell keys apart (the key itself is never shown again)"),
  created_at: z.number().describe("Unix ms"),
  last_used_at: z.number().nullable().describe("Unix ms of the last request with this key (to the minute)"),
});

export const ApiKeyListSchema = z.strictObject({
  keys: z.array(ApiKeySchema).describe("Active keys, newest first"),
  limit: z.number().int().describe("Most active keys a user may hold"),
});

export const ApiKeyCreatedSchema = ApiKeySchema.extend({
  key: z
    .string()
    .describe("The key, shown this once: send as `Authorization: Bearer mm_…` or `X-API-Key: mm_…`"),
});

/** The public view of a key (never its hash or user id). */
export const apiKeyView = (k: ApiKeyRecord): z.infer<typeof ApiKeySchema> =>
  ApiKeySchema.parse({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
  });
