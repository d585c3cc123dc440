// The admin panel's user store on SQLite (contract: ../admin-store.ts; what it shares with Postgres:
// ../admin-plan.ts).

import { and, desc, eq, inArray, isNotNull, isNull, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import {
  ANONYMISED,
  KEY_LINE,
  PERSONAL_TABLES,
  SESSION_LINE,
  type UserCond,
  userConditions,
} from "../admin-plan";
import type { AdminUserStore, KeyLine, ReferralLine, SessionLine, UserFilter } from "../admin-store";
import type { UserRow } from "../store";

const { users, sessions, apiKeys, referrals } = schema;

/** The select list of `keys` of a table (its columns under their property names). */
const pick = <T extends object, K extends keyof T>(table: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, table[k]])) as Pick<T, K>;

/** Large id sets as one JSON parameter (SQLite caps the number of bound variables). */
const idIn = (ids: readonly number[], not?: true) =>
  ids.length <= 500
    ? (not ? notInArray : inArray)(users.id, [...ids])
    : sql`${users.id} ${sql.raw(not ? "not in" : "in")} (select value from json_each(${JSON.stringify(ids)}))`;

// instr() instead of LIKE: typed text may contain "%" or "_".
const contains = (col: typeof users.email | typeof users.telegramUsername, needle: string) =>
  sql`instr(lower(coalesce(${col}, '')), ${needle}) > 0`;

function render(c: UserCond): SQL {
  switch (c.op) {
    case "text":
      return sql`(${contains(users.email, c.needle)} or ${contains(users.telegramUsername, c.needle)})`;
    case "eq":
      return eq(users[c.field], c.value);
    case "ids":
      return c.ids.length || c.not ? idIn(c.ids, c.not) : sql`0`;
    case "set":
      return c.set ? isNotNull(users[c.field]) : isNull(users[c.field]);
    case "any":
      return or(...c.of.map(render)) ?? sql`0`;
  }
}

const where = (f: UserFilter): SQL | undefined => and(...userConditions(f).map(render));

function searchUsers(
  h: DbHandle,
  f: UserFilter,
  limit: number,
  offset: number,
): { rows: UserRow[]; total: number } {
  const cond = where(f);
  const total = h.db.select({ n: sql<number>`count(*)` }).from(users).where(cond).get()?.n ?? 0;
  const rows = h.db
    .select()
    .from(users)
    .where(cond)
    .orderBy(desc(users.id))
    .limit(limit)
    .offset(offset)
    .all();
  return { rows, total };
}

function sessionsOfUser(h: DbHandle, userId: number): SessionLine[] {
  return h.db
    .select(pick(sessions, SESSION_LINE))
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
}

/** Every key of the user, revoked ones too (newest first): the page shows what was revoked and when. */
function keysOfUser(h: DbHandle, userId: number): KeyLine[] {
  return h.db
    .select(pick(apiKeys, KEY_LINE))
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.id))
    .all();
}

/** Ends the user's sessions: all, or those of `ids`. The number ended. */
function endSessions(h: DbHandle, userId: number, ids?: readonly number[]): number {
  const cond = ids
    ? and(eq(sessions.userId, userId), inArray(sessions.id, [...ids]))
    : eq(sessions.userId, userId);
  if (ids && ids.length === 0) return 0;
  return h.db.delete(sessions).where(cond).returning({ id: sessions.id }).all().length;
}

/** Revokes the user's live keys: all, or those of `ids`. The number revoked. */
function revokeKeys(h: DbHandle, userId: number, at: number, ids?: readonly number[]): number {
  if (ids && ids.length === 0) return 0;
  const mine = and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt));
  const cond = ids ? and(mine, inArray(apiKeys.id, [...ids])) : mine;
  return h.db.update(apiKeys).set({ revokedAt: at }).where(cond).returning({ id: apiKeys.id }).all().length;
}

/** Who invited the user, and whom the user invited (newest first). */
function referralsOf(
  h: DbHandle,
  userId: number,
): { invitedBy: ReferralLine | null; invited: ReferralLine[] } {
  const line = (on: typeof referrals.inviterId | typeof referrals.inviteeId) =>
    h.db
      .select({
        userId: users.id,
        email: users.email,
        username: users.telegramUsername,
        via: referrals.via,
        status: referrals.status,
        createdAt: referrals.createdAt,
      })
      .from(referrals)
      .innerJoin(users, eq(users.id, on));
  const invitedBy = line(referrals.inviterId).where(eq(referrals.inviteeId, userId)).get() ?? null;
  const invited = line(referrals.inviteeId)
    .where(eq(referrals.inviterId, userId))
    .orderBy(desc(referrals.createdAt))
    .all();
  return { invitedBy, invited };
}

/** Telegram-only rows merged into this account by /link (their history lives here now). */
function mergedInto(h: DbHandle, userId: number): UserRow[] {
  return h.db.select().from(users).where(eq(users.mergedInto, userId)).orderBy(users.id).all();
}

function setTier(h: DbHandle, userId: number, tier: string, expiresAt: number | null): UserRow | undefined {
  return h.db
    .update(users)
    .set({ tier, tierExpiresAt: expiresAt })
    .where(eq(users.id, userId))
    .returning()
    .get();
}

/** A deleted account (see AdminUserStore.anonymise), in one transaction. */
function anonymiseUser(h: DbHandle, userId: number, at: number): { sessions: number; keys: number } {
  return withImmediateTx(h.sqlite, () => {
    const ended = endSessions(h, userId);
    const revoked = revokeKeys(h, userId, at);
    for (const t of PERSONAL_TABLES) h.db.delete(t).where(eq(t.userId, userId)).run();
    h.db
      .update(users)
      .set({ ...ANONYMISED, deletedAt: at })
      .where(eq(users.id, userId))
      .run();
    return { sessions: ended, keys: revoked };
  });
}

export function createSqliteAdminUserStore(h: DbHandle): AdminUserStore {
  return {
    search: (f, limit, offset) => searchUsers(h, f, limit, offset),
    sessionsOf: (userId) => sessionsOfUser(h, userId),
    keysOf: (userId) => keysOfUser(h, userId),
    endSessions: (userId, ids) => endSessions(h, userId, ids),
    revokeKeys: (userId, at, ids) => revokeKeys(h, userId, at, ids),
    referralsOf: (userId) => referralsOf(h, userId),
    mergedInto: (userId) => mergedInto(h, userId),
    setTier: (userId, tier, expiresAt) => setTier(h, userId, tier, expiresAt),
    anonymise: (userId, at) => anonymiseUser(h, userId, at),
  };
}
