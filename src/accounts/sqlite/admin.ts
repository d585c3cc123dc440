// The admin panel's user store on SQLite.

import { and, desc, eq, inArray, isNotNull, isNull, notInArray, or, type SQL, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { AdminUserStore, KeyLine, ReferralLine, SessionLine, UserFilter } from "../admin-store";
import type { UserRow } from "../store";

const { users, sessions, apiKeys, referrals, userPresets, telegramLinkCodes, telegramLinkFailures } = schema;

// instr() instead of LIKE: typed text may contain "%" or "_".
const contains = (col: typeof users.email | typeof users.telegramUsername, needle: string) =>
  sql`instr(lower(coalesce(${col}, '')), ${needle.toLowerCase()}) > 0`;
/** Large id sets as one JSON parameter (SQLite caps the number of bound variables). */
const idIn = (ids: readonly number[]) =>
  ids.length <= 500
    ? inArray(users.id, [...ids])
    : sql`${users.id} in (select value from json_each(${JSON.stringify(ids)}))`;
const idNotIn = (ids: readonly number[]) =>
  ids.length <= 500
    ? notInArray(users.id, [...ids])
    : sql`${users.id} not in (select value from json_each(${JSON.stringify(ids)}))`;

function where(f: UserFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [isNull(users.mergedInto)];
  const match: SQL[] = [];
  if (f.text) {
    const m = or(contains(users.email, f.text), contains(users.telegramUsername, f.text));
    if (m) match.push(m);
  }
  if (f.telegramId) match.push(eq(users.telegramId, f.telegramId));
  if (f.ids) match.push(f.ids.length ? idIn(f.ids) : sql`0`);
  if (f.text !== undefined || f.telegramId !== undefined || f.ids !== undefined)
    parts.push(or(...match) ?? sql`0`);
  if (f.tier) parts.push(eq(users.tier, f.tier));
  if (f.banned !== undefined) parts.push(f.banned ? isNotNull(users.bannedAt) : isNull(users.bannedAt));
  if (f.deleted !== undefined) parts.push(f.deleted ? isNotNull(users.deletedAt) : isNull(users.deletedAt));
  if (f.onlyIds) parts.push(f.onlyIds.length ? idIn(f.onlyIds) : sql`0`);
  if (f.exceptIds?.length) parts.push(idNotIn(f.exceptIds));
  return and(...parts);
}

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
    .select({
      id: sessions.id,
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
}

/** Every key of the user, revoked ones too (newest first): the page shows what was revoked and when. */
function keysOfUser(h: DbHandle, userId: number): KeyLine[] {
  return h.db
    .select({
      id: apiKeys.id,
      userId: apiKeys.userId,
      prefix: apiKeys.prefix,
      name: apiKeys.name,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
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

/**
 * A deleted account: every personal field cleared (e-mail, password, Telegram id and name, display name,
 * referral code), its sign-ins, presets and link codes removed, its keys revoked, `deleted_at` set. The row
 * stays, so ledger rows, payments, referrals and jobs keep pointing at it (anonymised). One transaction.
 */
function anonymiseUser(h: DbHandle, userId: number, at: number): { sessions: number; keys: number } {
  return withImmediateTx(h.sqlite, () => {
    const ended = endSessions(h, userId);
    const revoked = revokeKeys(h, userId, at);
    h.db.delete(userPresets).where(eq(userPresets.userId, userId)).run();
    h.db.delete(telegramLinkCodes).where(eq(telegramLinkCodes.userId, userId)).run();
    h.db.delete(telegramLinkFailures).where(eq(telegramLinkFailures.userId, userId)).run();
    h.db
      .update(users)
      .set({
        email: null,
        passwordHash: null,
        emailVerifiedAt: null,
        telegramId: null,
        telegramUsername: null,
        displayName: null,
        referralCode: null,
        isAdmin: false,
        deletedAt: at,
      })
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
