// The e-mail token store on Postgres (contract: ../email-tokens-store.ts).

import type { PgClient } from "../../db";
import type { EmailTokenStore } from "../email-tokens-store";

export function createPgEmailTokenStore(pg: PgClient): EmailTokenStore {
  return {
    insert(t) {
      pg.run(
        "INSERT INTO email_tokens (user_id, kind, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        [t.userId, t.kind, t.tokenHash, t.now, t.expiresAt],
      );
    },
    consume: (tokenHash, kind, now) =>
      pg.get<{ userId: number }>(
        `UPDATE email_tokens SET used_at = $3
         WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id AS "userId"`,
        [tokenHash, kind, now],
      )?.userId,
    deleteUnused: (userId, kind) =>
      pg.run("DELETE FROM email_tokens WHERE user_id = $1 AND kind = $2 AND used_at IS NULL", [userId, kind]),
    deleteExpired: (now) => pg.run("DELETE FROM email_tokens WHERE expires_at < $1", [now]),
  };
}
