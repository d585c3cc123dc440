// The Telegram link's store on SQLite.

import { and, eq, gt, lt, lte, or, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { LinkStore } from "../link-store";
import { atomicallyOn } from "./tx";

const { users, telegramLinkCodes: codes, telegramLinkFailures: failures } = schema;

export function createSqliteLinkStore(h: DbHandle): LinkStore {
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
    atomically: atomicallyOn(h),
  };
}
