// SQL of the Telegram link: live codes, wrong-code failures of web accounts, and the user-row side of a
// merge (telegram_id moving from the bot user to the web account). Rows in, rows out; policy lives in
// telegram-link.ts.

import { and, eq, gt, lt, lte, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../db";

const { users, telegramLinkCodes: codes, telegramLinkFailures: failures } = schema;

export type LinkCodeRow = typeof codes.$inferSelect;
export type LinkUser = typeof users.$inferSelect;

export interface LinkStore {
  /**
   * Replaces the user's code (and drops every expired one); false when `codeHash` collides with another
   * live code (the caller draws a new code).
   */
  putCode(userId: number, codeHash: string, now: number, expiresAt: number): boolean;
  /** The live code with this hash: not expired, fewer than `maxFailures` wrong tries during its life. */
  liveCode(codeHash: string, now: number, maxFailures: number): LinkCodeRow | undefined;
  /** Deletes the code row; false when it was already gone (used by a concurrent request). */
  consumeCode(id: number): boolean;
  /** One wrong code: a failure row for the web account and a strike on every live code. */
  recordFailure(userId: number, now: number, windowMs: number): void;
  /** The web account's failures since `since`, oldest first (their times). */
  failuresSince(userId: number, since: number): number[];
  user(id: number): LinkUser | undefined;
  /** Moves the Telegram identity from `bot` to `web` and marks `bot` merged; tier fields as given. */
  mergeUsers(bot: LinkUser, web: LinkUser, tier: { tier: string; tierExpiresAt: number | null }): void;
  /** Clears the web account's Telegram identity; false when it had none. */
  clearTelegram(userId: number): boolean;
  /** Runs fn in one write transaction (or inside the open one). */
  atomically<T>(fn: () => T): T;
}

export function createLinkStore(h: DbHandle): LinkStore {
  const db = h.db;
  return {
    putCode(userId, codeHash, now, expiresAt) {
      db.delete(codes)
        .where(or(eq(codes.userId, userId), lte(codes.expiresAt, now)))
        .run();
      const row = db
        .insert(codes)
        .values({ userId, codeHash, createdAt: now, expiresAt })
        .onConflictDoNothing()
        .returning({ id: codes.id })
        .get();
      return row !== undefined;
    },
    liveCode: (codeHash, now, maxFailures) =>
      db
        .select()
        .from(codes)
        .where(and(eq(codes.codeHash, codeHash), gt(codes.expiresAt, now), lt(codes.failures, maxFailures)))
        .get(),
    consumeCode: (id) =>
      db.delete(codes).where(eq(codes.id, id)).returning({ id: codes.id }).all().length === 1,
    recordFailure(userId, now, windowMs) {
      db.delete(failures)
        .where(and(eq(failures.userId, userId), lt(failures.at, now - windowMs)))
        .run();
      db.insert(failures).values({ userId, at: now }).run();
      db.update(codes)
        .set({ failures: sql`${codes.failures} + 1` })
        .where(gt(codes.expiresAt, now))
        .run();
    },
    failuresSince: (userId, since) =>
      db
        .select({ at: failures.at })
        .from(failures)
        .where(and(eq(failures.userId, userId), gt(failures.at, since)))
        .orderBy(failures.at)
        .all()
        .map((r) => r.at),
    user: (id) => db.select().from(users).where(eq(users.id, id)).get(),
    mergeUsers(bot, web, tier) {
      // telegram_id is unique: free it on the bot user before the web account takes it.
      db.update(users)
        .set({ telegramId: null, mergedInto: web.id, tier: "free", tierExpiresAt: null })
        .where(eq(users.id, bot.id))
        .run();
      db.update(users)
        .set({
          telegramId: bot.telegramId,
          telegramUsername: bot.telegramUsername,
          botBlockedAt: bot.botBlockedAt,
          tier: tier.tier,
          tierExpiresAt: tier.tierExpiresAt,
        })
        .where(eq(users.id, web.id))
        .run();
    },
    clearTelegram: (userId) =>
      db
        .update(users)
        .set({ telegramId: null, telegramUsername: null, botBlockedAt: null })
        .where(and(eq(users.id, userId), sql`${users.telegramId} is not null`))
        .returning({ id: users.id })
        .all().length === 1,
    atomically: (fn) => (h.sqlite.inTransaction ? fn() : withImmediateTx(h.sqlite, fn)),
  };
}
