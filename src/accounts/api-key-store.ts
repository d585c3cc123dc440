// The API key store (the api_keys table). Narrow on purpose: the key service decides policy (tier, ban,
// the cap of active keys); implementations (./sqlite/api-keys.ts) only read and write rows.

import type { AuthUser } from "./auth-store";

export type ApiKeyRecord = {
  id: number;
  userId: number;
  prefix: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
};

export type NewApiKey = { userId: number; keyHash: string; prefix: string; name: string; createdAt: number };

export interface ApiKeyStore {
  /** Inserts the key unless the user already has `maxActive` active keys (one write transaction). */
  insertCapped(k: NewApiKey, maxActive: number): ApiKeyRecord | undefined;
  listActive(userId: number): ApiKeyRecord[];
  /** Marks the user's active key revoked; false when there is no such active key of this user. */
  revoke(userId: number, id: number, now: number): boolean;
  /** The active key with this hash and its user (ban and tier are left to the service). */
  activeByHash(keyHash: string): { keyId: number; user: AuthUser } | undefined;
  /** Records a use at most once a minute per key (no write per request). */
  touch(keyId: number, now: number): void;
}
