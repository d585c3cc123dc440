// The API key store on SQLite.

import { and, count, desc, eq, isNull, lt, or } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { ApiKeyStore } from "../api-key-store";
import { authColumns } from "./auth";

const { apiKeys, users } = schema;

const recordColumns = {
  id: apiKeys.id,
  userId: apiKeys.userId,
  prefix: apiKeys.prefix,
  name: apiKeys.name,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

export function createSqliteApiKeyStore(h: DbHandle): ApiKeyStore {
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
