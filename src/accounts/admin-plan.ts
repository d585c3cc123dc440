// What the admin user store's two backends (./sqlite/admin.ts, ./pg/admin.ts) share, decided once here:
// what a user filter means (they only render these conditions: merged rows never match; text, Telegram
// id and ids are alternatives; the rest all apply; an empty id list matches no one), what a session and
// a key line show, and what anonymising clears and deletes.

import { schema } from "../db";
import type { UserFilter } from "./admin-store";
import type { UserRow } from "./store";

export type UserCond =
  /** Case-insensitive substring of the e-mail or the Telegram username (already lower-cased). */
  | { op: "text"; needle: string }
  | { op: "eq"; field: "telegramId" | "tier"; value: string }
  /** id in (or, with `not`, not in) `ids`; an empty `ids` without `not` matches no one. */
  | { op: "ids"; ids: readonly number[]; not?: true }
  /** The time column is set (true) or null (false). */
  | { op: "set"; field: "mergedInto" | "bannedAt" | "deletedAt"; set: boolean }
  /** Any of `of` (none: no one). */
  | { op: "any"; of: UserCond[] };

/** The conditions that must all hold. */
export function userConditions(f: UserFilter): UserCond[] {
  const all: UserCond[] = [{ op: "set", field: "mergedInto", set: false }];
  const match: UserCond[] = [];
  if (f.text) match.push({ op: "text", needle: f.text.toLowerCase() });
  if (f.telegramId) match.push({ op: "eq", field: "telegramId", value: f.telegramId });
  if (f.ids) match.push({ op: "ids", ids: f.ids });
  if (f.text !== undefined || f.telegramId !== undefined || f.ids !== undefined)
    all.push({ op: "any", of: match });
  if (f.tier) all.push({ op: "eq", field: "tier", value: f.tier });
  if (f.banned !== undefined) all.push({ op: "set", field: "bannedAt", set: f.banned });
  if (f.deleted !== undefined) all.push({ op: "set", field: "deletedAt", set: f.deleted });
  if (f.onlyIds) all.push({ op: "ids", ids: f.onlyIds });
  if (f.exceptIds?.length) all.push({ op: "ids", ids: f.exceptIds, not: true });
  return all;
}

/** The personal fields anonymising clears on the users row (besides setting deleted_at). */
export const ANONYMISED = {
  email: null,
  passwordHash: null,
  emailVerifiedAt: null,
  telegramId: null,
  telegramUsername: null,
  displayName: null,
  referralCode: null,
  isAdmin: false,
} as const satisfies Partial<UserRow>;

/** What a session line and a key line show: every column but the hash. */
export const SESSION_LINE = [
  "id",
  "userId",
  "createdAt",
  "expiresAt",
  "lastSeenAt",
  "ip",
  "userAgent",
] as const;
export const KEY_LINE = ["id", "userId", "prefix", "name", "createdAt", "lastUsedAt", "revokedAt"] as const;

/** The tables whose rows of the user anonymising deletes (besides the sessions it ends). */
export const PERSONAL_TABLES = [
  schema.userPresets,
  schema.telegramLinkCodes,
  schema.telegramLinkFailures,
] as const;
