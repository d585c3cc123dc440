// SQL of the referral programme: users' referral codes and the referrals table. Policy in referral.ts.

import { and, desc, eq, or, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../db";

const { users, referrals } = schema;

export type ReferralRow = typeof referrals.$inferSelect;

export interface ReferralStore {
  codeOf(userId: number): string | null;
  /** Sets the user's code unless it has one; false when the code is taken by someone else. */
  setCode(userId: number, code: string): boolean;
  userByCode(code: string): { id: number; mergedInto: number | null } | undefined;
  /** Inserts the invitee's referral; undefined when the invitee already has one (unique). */
  insert(inviterId: number, inviteeId: number, via: "web" | "bot", now: number): ReferralRow | undefined;
  ofInvitee(inviteeId: number): ReferralRow | undefined;
  listOfInviter(inviterId: number, limit: number): ReferralRow[];
  /** pending → rewarded, once; the row when this call made the change. */
  markRewarded(id: number, now: number): ReferralRow | undefined;
  setStatus(id: number, status: ReferralRow["status"]): void;
  /** Referral rows where the user is inviter or invitee. */
  involving(userId: number): ReferralRow[];
  repoint(id: number, side: "inviterId" | "inviteeId", userId: number): void;
  /** Pending referrals (start-up recovery of an inviter bonus lost to a crash). */
  pending(limit: number): ReferralRow[];
  atomically<T>(fn: () => T): T;
}

export function createReferralStore(h: DbHandle): ReferralStore {
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
        if (String(err).includes("UNIQUE")) return false;
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
    atomically: (fn) => (h.sqlite.inTransaction ? fn() : withImmediateTx(h.sqlite, fn)),
  };
}
