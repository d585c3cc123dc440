// Head counts of the users table for the admin dashboard: totals, bans and paid tiers in force, in one
// query. Merged Telegram-only rows (merged_into set) are the same person as their web account: not counted.

import { isNull, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { users } = schema;

export type UserTotals = {
  total: number;
  banned: number;
  /** Users on a paid tier (not "free") that has not expired (no expiry counts as in force). */
  subscribed: number;
  /** Created since the window's start. */
  new: number;
  /** Seen (signed in, used the bot or the API) since the window's start. */
  active: number;
};

/** The figures at `now` with a window of users created/seen since `since` (unix ms). */
export function userTotals(h: DbHandle, since: number, now: number): UserTotals {
  const n = (cond: ReturnType<typeof sql>) =>
    sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;
  const row = h.db
    .select({
      total: sql<number>`count(*)`,
      banned: n(sql`${users.bannedAt} is not null`),
      subscribed: n(
        sql`${users.tier} <> 'free' and (${users.tierExpiresAt} is null or ${users.tierExpiresAt} > ${now})`,
      ),
      new: n(sql`${users.createdAt} >= ${since}`),
      active: n(sql`coalesce(${users.lastSeenAt}, 0) >= ${since}`),
    })
    .from(users)
    .where(isNull(users.mergedInto))
    .get();
  return {
    total: row?.total ?? 0,
    banned: row?.banned ?? 0,
    subscribed: row?.subscribed ?? 0,
    new: row?.new ?? 0,
    active: row?.active ?? 0,
  };
}
