// SQL of the one-time e-mail links (email_tokens): verification and password reset. Only hashes are
// stored; consuming a token is one UPDATE … WHERE used_at IS NULL AND not expired RETURNING, so two
// requests racing with the same link cannot both succeed.

import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { emailTokens } = schema;

export type EmailTokenKind = "verify" | "reset";

export interface EmailTokenStore {
  insert(t: {
    userId: number;
    kind: EmailTokenKind;
    tokenHash: string;
    now: number;
    expiresAt: number;
  }): void;
  /** Marks the token used and returns its user, or undefined (unknown, wrong kind, expired or used). */
  consume(tokenHash: string, kind: EmailTokenKind, now: number): number | undefined;
  /** Deletes the user's unused tokens of this kind (a reset voids every other reset link). */
  deleteUnused(userId: number, kind: EmailTokenKind): number;
  /** Deletes tokens expired before `now`, used or not (the sweep task). Returns how many. */
  deleteExpired(now: number): number;
}

export function createEmailTokenStore(h: DbHandle): EmailTokenStore {
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
