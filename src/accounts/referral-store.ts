// The referral programme's store: users' referral codes and the referrals table. Policy in referral.ts;
// SQLite in ./sqlite/referral.ts.

import type { schema } from "../db";

export type ReferralRow = typeof schema.referrals.$inferSelect;

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
