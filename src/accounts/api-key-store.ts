// SQL for API keys (the api_keys table). Narrow on purpose: the key service decides policy (tier, ban,
// the cap of active keys); this file only reads and writes rows.

import { and, count, desc, eq, isNull, lt, or } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../db";
import type { AuthUser } from "./auth-store";
import { authColumns } from "./auth-store";

const { apiKeys, users } = schema;

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

const recordColumns = {
  id: apiKeys.id,
  userId: apiKeys.userId,
  prefix: apiKeys.prefix,
  name: apiKeys.name,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

export function createApiKeyStore(h: DbHandle): ApiKeyStore {
  const db = h.db;
  const active = (userId: number) => and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt));
  return {
    insertCapped(k, maxActive) {
      return withImmediateTx(h.sqlite, () => {
        const n = db.select({ n: count() }).from(apiKeys).where(active(k.userId)).get()?.n ?? 0;
        if (n >= maxActive) return undefined;
        return db.insert(apiKeys).values(k).returning(recordColumns).get();
      });
    },
    listActive: (userId) =>
      db.select(recordColumns).from(apiKeys).where(active(userId)).orderBy(desc(apiKeys.id)).all(),
    revoke(userId, id, now) {
      const row = db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), active(userId)))
        .returning({ id: apiKeys.id })
        .get();
      return row !== undefined;
    },
    activeByHash(keyHash) {
      const row = db
        .select({ keyId: apiKeys.id, ...authColumns })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .get();
      if (!row) return undefined;
      const { keyId, ...user } = row;
      return { keyId, user };
    },
    touch(keyId, now) {
      db.update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - 60_000))),
        )
        .run();
    },
  };
}
