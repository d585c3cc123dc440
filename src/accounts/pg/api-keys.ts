// The API key store on Postgres (contract: ../api-key-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { ApiKeyRecord, ApiKeyStore } from "../api-key-store";
import type { AuthUser } from "../auth-store";
import { authCols } from "./auth";
import { cols } from "./sql";

const RECORD = cols(schema.apiKeys, { only: ["id", "userId", "prefix", "name", "createdAt", "lastUsedAt"] });

export function createPgApiKeyStore(pg: PgClient): ApiKeyStore {
  return {
    insertCapped: (k, maxActive) =>
      pg.tx(() => {
        // The user's row lock serialises two inserts of the same user (SQLite's BEGIN IMMEDIATE does it
        // for the whole file), so the count below is still true when the insert runs.
        pg.run("SELECT id FROM users WHERE id = $1 FOR UPDATE", [k.userId]);
        const n = pg.get<{ n: number }>(
          "SELECT count(*) AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL",
          [k.userId],
        );
        if ((n?.n ?? 0) >= maxActive) return undefined;
        return pg.get<ApiKeyRecord>(
          `INSERT INTO api_keys (user_id, key_hash, prefix, name, created_at) VALUES ($1, $2, $3, $4, $5)
           RETURNING ${RECORD}`,
          [k.userId, k.keyHash, k.prefix, k.name, k.createdAt],
        );
      }),
    listActive: (userId) =>
      pg.all<ApiKeyRecord>(
        `SELECT ${RECORD} FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC`,
        [userId],
      ),
    revoke: (userId, id, now) =>
      pg.run("UPDATE api_keys SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL", [
        userId,
        id,
        now,
      ]) === 1,
    activeByHash(keyHash) {
      const row = pg.get<AuthUser & { keyId: number }>(
        `SELECT api_keys.id AS "keyId", ${authCols()} FROM api_keys JOIN users ON users.id = api_keys.user_id
         WHERE api_keys.key_hash = $1 AND api_keys.revoked_at IS NULL`,
        [keyHash],
      );
      if (!row) return undefined;
      const { keyId, ...user } = row;
      return { keyId, user };
    },
    touch(keyId, now) {
      pg.run(
        "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        [keyId, now, now - 60_000],
      );
    },
  };
}
