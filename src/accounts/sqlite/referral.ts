// The referral store on SQLite.

import { and, desc, eq, or, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { ReferralStore } from "../referral-store";
import { atomicallyOn, isUniqueViolation } from "./tx";

const { users, referrals } = schema;

export function createSqliteReferralStore(h: DbHandle): ReferralStore {
  const db = h.db;
  return {
    codeOf: (userId) =>
      db.select({ c: users.referralCode }).from(users).where(eq(users.id, userId)).get()?.c ?? null,
    setCode(userId, code) {
      try {
        db.update(users)
          .set({ referralCode: code })
          .where(and(eq(users.id, userId), sql`${users.referralCode} is null`))
          .run();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    userByCode: (code) =>
      db
        .select({ id: users.id, mergedInto: users.mergedInto })
        .from(users)
        .where(eq(users.referralCode, code))
        .get(),
    insert: (inviterId, inviteeId, via, now) =>
      db
        .insert(referrals)
        .values({ inviterId, inviteeId, via, createdAt: now })
        .onConflictDoNothing()
        .returning()
        .get(),
    ofInvitee: (inviteeId) => db.select().from(referrals).where(eq(referrals.inviteeId, inviteeId)).get(),
    listOfInviter: (inviterId, limit) =>
      db
        .select()
        .from(referrals)
        .where(eq(referrals.inviterId, inviterId))
        .orderBy(desc(referrals.id))
        .limit(limit)
        .all(),
    markRewarded: (id, now) =>
      db
        .update(referrals)
        .set({ status: "rewarded", rewardedAt: now })
        .where(and(eq(referrals.id, id), eq(referrals.status, "pending")))
        .returning()
        .get(),
    setStatus(id, status) {
      db.update(referrals).set({ status }).where(eq(referrals.id, id)).run();
    },
    involving: (userId) =>
      db
        .select()
        .from(referrals)
        .where(or(eq(referrals.inviterId, userId), eq(referrals.inviteeId, userId)))
        .all(),
    repoint(id, side, userId) {
      db.update(referrals)
        .set({ [side]: userId })
        .where(eq(referrals.id, id))
        .run();
    },
    pending: (limit) => db.select().from(referrals).where(eq(referrals.status, "pending")).limit(limit).all(),
    atomically: atomicallyOn(h),
  };
}
