// The store of the admin panel's user pages (accounts owns every table read here): the user search with
// its filters and a total for pagination, one user's sessions, keys, referrals and merged Telegram rows,
// and the admin's writes (tier + expiry, revoking sign-ins, anonymising a deleted user). SQLite:
// ./sqlite/admin.ts.

import type { schema } from "../db";
import type { UserRow } from "./store";

/** What the list is filtered by; `text` is matched in e-mail and username, `exact` picks ids. */
export type UserFilter = {
  /** Case-insensitive substring of the e-mail or the Telegram username (typed text, "%" and "_" literal). */
  text?: string;
  /** Exact Telegram id. */
  telegramId?: string;
  /** Exact internal ids (a job's owner, "#12"). */
  ids?: readonly number[];
  tier?: string;
  banned?: boolean;
  /** Only / never these ids (the users with a positive balance, from billing; any number of them). */
  onlyIds?: readonly number[];
  exceptIds?: readonly number[];
  deleted?: boolean;
};

export type SessionLine = Omit<typeof schema.sessions.$inferSelect, "tokenHash">;
export type KeyLine = Omit<typeof schema.apiKeys.$inferSelect, "keyHash">;

export type ReferralLine = {
  userId: number;
  email: string | null;
  username: string | null;
  via: string;
  status: string;
  createdAt: number;
};

export interface AdminUserStore {
  /** One page of users (newest first) and how many match in all; merged rows never match. */
  search(f: UserFilter, limit: number, offset: number): { rows: UserRow[]; total: number };
  /** The user's sessions, most recently seen first. */
  sessionsOf(userId: number): SessionLine[];
  /** Every key of the user, revoked ones too (newest first): the page shows what was revoked and when. */
  keysOf(userId: number): KeyLine[];
  /** Ends the user's sessions: all, or those of `ids`. The number ended. */
  endSessions(userId: number, ids?: readonly number[]): number;
  /** Revokes the user's live keys: all, or those of `ids`. The number revoked. */
  revokeKeys(userId: number, at: number, ids?: readonly number[]): number;
  /** Who invited the user, and whom the user invited (newest first). */
  referralsOf(userId: number): { invitedBy: ReferralLine | null; invited: ReferralLine[] };
  /** Telegram-only rows merged into this account by /link (their history lives here now), by id. */
  mergedInto(userId: number): UserRow[];
  setTier(userId: number, tier: string, expiresAt: number | null): UserRow | undefined;
  /**
   * A deleted account: every personal field cleared (e-mail, password, Telegram id and name, display
   * name, referral code), its sign-ins, presets and link codes removed, its keys revoked, `deleted_at`
   * set. The row stays, so ledger rows, payments, referrals and jobs keep pointing at it (anonymised).
   * One transaction.
   */
  anonymise(userId: number, at: number): { sessions: number; keys: number };
}
