// API keys: `mm_` + 32 random bytes (base64url), shown once at creation; only the SHA-256 is stored, so a
// leaked database opens no account. At most MAX_ACTIVE_KEYS active keys per user, revocable, last use
// recorded. Every resolve reads the key, the user's ban and tier from the database (nothing cached), so a
// revoke, a ban or a downgrade stops the key on the very next request.

import { randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { ApiKeyRecord, ApiKeyStore } from "./api-key-store";
import { hashToken } from "./auth";
import type { AuthUser } from "./auth-store";
import type { Tiers } from "./tiers";

export const API_KEY_PREFIX = "mm_";
export const MAX_ACTIVE_KEYS = 10;
/** Characters of the key kept in clear (`mm_` + 6) so a user can tell keys apart; not enough to guess. */
const SHOWN = API_KEY_PREFIX.length + 6;

export const CreateApiKeyInput = z.object({
  name: z.string().trim().max(64).default("").describe("A label of your choice (shown in the list)"),
});

/**
 * The default rule (the seeded tiers: pro and studio). The service passes the tiers table's `api_keys`
 * field instead (and allows every tier while MM_BILLING=off) through `ApiKeysDeps.allowsApiKeys`.
 */
export const defaultAllowsApiKeys = (tier: string): boolean => tier === "pro" || tier === "studio";

/** The service's rule: the tiers table's `api_keys` while billing is on; every tier while it is off. */
export const tiersAllowApiKeys =
  (tiers: Pick<Tiers, "enforced" | "get">) =>
  (tier: string): boolean =>
    !tiers.enforced || tiers.get(tier).api_keys;

export type ResolvedKey = { user: AuthUser; keyId: number };

export interface ApiKeys {
  /** Creates a key; the clear key is returned here only. Throws tier_forbids_api_keys, api_key_limit. */
  create(user: AuthUser, input: z.output<typeof CreateApiKeyInput>): { key: string; record: ApiKeyRecord };
  listActive(userId: number): ApiKeyRecord[];
  /** Throws api_key_not_found (unknown, another user's, or already revoked). */
  revoke(userId: number, keyId: number): void;
  /**
   * The key's user. Throws invalid_api_key (401: unknown or revoked), account_banned (403) or
   * tier_forbids_api_keys (403: the tier no longer allows keys): a presented key never falls back to guest.
   */
  resolve(key: string): ResolvedKey;
}

export type ApiKeysDeps = {
  store: ApiKeyStore;
  log: Logger;
  now?: () => number;
  allowsApiKeys?: (tier: string) => boolean;
};

/** 32 bytes in base64url are 43 characters. */
const KEY_LENGTH = API_KEY_PREFIX.length + 43;
/**
 * By shape, not by prefix alone: session and job tokens are 43 base64url characters and may begin with
 * "mm_" by chance; a key is exactly "mm_" + 43.
 */
export const isApiKey = (s: string): boolean => s.length === KEY_LENGTH && s.startsWith(API_KEY_PREFIX);

export function createApiKeys({
  store,
  log,
  now = Date.now,
  allowsApiKeys = defaultAllowsApiKeys,
}: ApiKeysDeps): ApiKeys {
  const assertTier = (tier: string) => {
    if (!allowsApiKeys(tier)) throw new AppError("tier_forbids_api_keys", 403, { tier });
  };
  return {
    create(user, input) {
      assertTier(user.tier);
      const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
      const record = store.insertCapped(
        {
          userId: user.id,
          keyHash: hashToken(key),
          prefix: key.slice(0, SHOWN),
          name: input.name,
          createdAt: now(),
        },
        MAX_ACTIVE_KEYS,
      );
      if (!record) throw new AppError("api_key_limit", 409, { limit: MAX_ACTIVE_KEYS });
      log.info("api_key_created", "", { user_id: user.id, key_id: record.id });
      return { key, record };
    },
    listActive: (userId) => store.listActive(userId),
    revoke(userId, keyId) {
      if (!store.revoke(userId, keyId, now())) throw new AppError("api_key_not_found", 404, { id: keyId });
      log.info("api_key_revoked", "", { user_id: userId, key_id: keyId });
    },
    resolve(key) {
      const found = store.activeByHash(hashToken(key));
      if (!found) throw new AppError("invalid_api_key", 401);
      if (found.user.bannedAt !== null) throw new AppError("account_banned", 403);
      assertTier(found.user.tier);
      store.touch(found.keyId, now());
      return found;
    },
  };
}
