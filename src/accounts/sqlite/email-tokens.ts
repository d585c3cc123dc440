// The e-mail token store on SQLite.

import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { EmailTokenStore } from "../email-tokens-store";

const { emailTokens } = schema;

export function createSqliteEmailTokenStore(h: DbHandle): EmailTokenStore {
  const db = h.db;
  return {
    insert(t) {
      db.insert(emailTokens)
        .values({
          userId: t.userId,
          kind: t.kind,
          tokenHash: t.tokenHash,
          createdAt: t.now,
          expiresAt: t.expiresAt,
        })
        .run();
    },
    consume(tokenHash, kind, now) {
      return db
        .update(emailTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(emailTokens.tokenHash, tokenHash),
            eq(emailTokens.kind, kind),
            isNull(emailTokens.usedAt),
            gt(emailTokens.expiresAt, now),
          ),
        )
        .returning({ userId: emailTokens.userId })
        .get()?.userId;
    },
    deleteUnused(userId, kind) {
      return db
        .delete(emailTokens)
        .where(and(eq(emailTokens.userId, userId), eq(emailTokens.kind, kind), isNull(emailTokens.usedAt)))
        .returning({ id: emailTokens.id })
        .all().length;
    },
    deleteExpired(now) {
      return db
        .delete(emailTokens)
        .where(lt(emailTokens.expiresAt, now))
        .returning({ id: emailTokens.id })
        .all().length;
    },
  };
}
