// The admin panel's users: search with filters and pagination, one user's whole picture from accounts'
// own tables, and the admin's changes (tier + expiry, revoking sign-ins, deleting = anonymising). Money
// and jobs are other areas': their reads and writes come in as functions (billing, jobs), so this file
// never touches their tables. Every change is audited with the actor, the address, before and after.

import { AppError } from "../errors";
import type { Logger } from "../log";
import type { KeyLine, ReferralLine, SessionLine, UserFilter } from "./admin-store";
import { userOwnerKey } from "./caller";
import type { UserRow } from "./store";
import type { AccountStores } from "./stores";
import { TIER_NAMES } from "./tiers-data";

/** Who acts: the audit actor ("user:<id>", "http:admin") and the client address. */
export type ActingAdmin = { actor: string; ip: string | null };

export type UserSearch = {
  /** An e-mail (or part), "@username", a Telegram id, "#12" / "id:12", or a job id. */
  q?: string;
  tier?: string;
  banned?: boolean;
  hasBalance?: boolean;
  deleted?: boolean;
  limit: number;
  offset: number;
};

export type AdminUsersDeps = {
  stores: AccountStores;
  log: Logger;
  now?: () => number;
  /** The owner of a job by its public id (jobs): its user id, or a Telegram owner key's id. */
  jobOwner: (publicId: string) => { userId: number | null; ownerKey: string } | undefined;
  /** Users with a balance above zero (billing), for the has-balance filter. */
  withBalance: () => number[];
  /**
   * Deletes the user's job files and cancels their queued and running jobs (jobs); what it removed.
   * Called by `remove` before the row is anonymised.
   */
  purgeJobs: (userId: number, ownerKeys: readonly string[], actor: string) => { jobs: number; files: number };
};

/** The tiers an admin can put a user on ("guest" is the anonymous visitor's). */
export const ASSIGNABLE_TIERS = TIER_NAMES.filter((t) => t !== "guest");

const view = (u: UserRow) => ({
  tier: u.tier,
  tier_expires_at: u.tierExpiresAt,
  banned_at: u.bannedAt,
  deleted_at: u.deletedAt,
});

export interface AdminUsers {
  search(s: UserSearch): { rows: UserRow[]; total: number };
  get(id: number): UserRow;
  sessions(id: number): SessionLine[];
  keys(id: number): KeyLine[];
  referrals(id: number): { invitedBy: ReferralLine | null; invited: ReferralLine[] };
  merged(id: number): UserRow[];
  /** Puts the user on `tier` until `expiresAt` (null: no end; "free" never ends). */
  setTier(id: number, tier: string, expiresAt: number | null, reason: string, by: ActingAdmin): UserRow;
  /** Ends sessions and/or revokes keys ("all" or the listed ids). */
  revoke(
    id: number,
    what: { sessions?: "all" | number[]; keys?: "all" | number[] },
    reason: string,
    by: ActingAdmin,
  ): { sessions_ended: number; keys_revoked: number };
  /** Deletes the account: job files removed, personal fields cleared, ledger and payments kept. */
  remove(
    id: number,
    reason: string,
    by: ActingAdmin,
  ): { user: UserRow; jobs: number; files: number; sessions: number; keys: number };
}

export function createAdminUsers(d: AdminUsersDeps): AdminUsers {
  const now = d.now ?? Date.now;
  const { admin, users } = d.stores;
  const get = (id: number): UserRow => {
    const u = users.byId(id);
    if (!u) throw new AppError("user_not_found", 404, { ref: `#${id}` });
    return u;
  };
  const audit = (by: ActingAdmin, action: string, id: number, before: unknown, after: unknown, extra = {}) =>
    d.stores.audit({
      actor: by.actor,
      action,
      target: `user:${id}`,
      details: { ...extra, ip: by.ip, before, after },
    });

  function filterOf(s: UserSearch): UserFilter {
    const f: UserFilter = { tier: s.tier, banned: s.banned, deleted: s.deleted };
    if (s.hasBalance !== undefined) {
      const ids = d.withBalance();
      if (s.hasBalance) f.onlyIds = ids;
      else f.exceptIds = ids;
    }
    const q = s.q?.trim();
    if (!q) return f;
    const internal = /^(?:id:|#)(\d+)$/i.exec(q);
    if (internal) return { ...f, ids: [Number(internal[1])] };
    const ids: number[] = [];
    // A job id (6 typeable characters) names its owner; the text may also be part of an e-mail or name.
    const job = /^#?[2-9A-HJKMNP-TV-Z]{6}$/i.test(q)
      ? d.jobOwner(q.replace(/^#/, "").toUpperCase())
      : undefined;
    if (job?.userId) ids.push(job.userId);
    else if (job?.ownerKey.startsWith("tg:")) {
      const tg = users.byTelegramId(job.ownerKey.slice(3));
      if (tg) ids.push(tg.id);
    }
    if (/^-?\d+$/.test(q)) return { ...f, telegramId: q, ids };
    return { ...f, text: q.replace(/^@/, ""), ids };
  }

  return {
    search: (s) => admin.search(filterOf(s), s.limit, s.offset),
    get,
    sessions: (id) => admin.sessionsOf(get(id).id),
    keys: (id) => admin.keysOf(get(id).id),
    referrals: (id) => admin.referralsOf(get(id).id),
    merged: (id) => admin.mergedInto(get(id).id),
    setTier(id, tier, expiresAt, reason, by) {
      const u = get(id);
      if (!(ASSIGNABLE_TIERS as readonly string[]).includes(tier))
        throw new AppError("tier_not_found", 400, { tier });
      const until = tier === "free" ? null : expiresAt;
      if (until !== null && until <= now()) throw new AppError("expiry_in_past", 400);
      const after = admin.setTier(u.id, tier, until) ?? u;
      audit(by, "user_tier_set", u.id, view(u), view(after), { reason });
      d.log.info("admin_user_tier", "", { user_id: u.id, actor: by.actor, tier, expires_at: until });
      return after;
    },
    revoke(id, what, reason, by) {
      const u = get(id);
      const sessions_ended = what.sessions
        ? admin.endSessions(u.id, what.sessions === "all" ? undefined : what.sessions)
        : 0;
      const keys_revoked = what.keys
        ? admin.revokeKeys(u.id, now(), what.keys === "all" ? undefined : what.keys)
        : 0;
      audit(by, "user_revoke", u.id, null, null, { reason, asked: what, sessions_ended, keys_revoked });
      d.log.info("admin_user_revoke", "", { user_id: u.id, actor: by.actor, sessions_ended, keys_revoked });
      return { sessions_ended, keys_revoked };
    },
    remove(id, reason, by) {
      const u = get(id);
      if (u.deletedAt !== null) throw new AppError("user_already_deleted", 409, { ref: `#${id}` });
      const owners = u.telegramId ? [userOwnerKey(u.id), `tg:${u.telegramId}`] : [userOwnerKey(u.id)];
      const purged = d.purgeJobs(u.id, owners, by.actor);
      const ended = admin.anonymise(u.id, now());
      const after = get(id);
      // The audit names the row, not the person: the personal data is what the deletion removes.
      audit(
        by,
        "user_delete",
        u.id,
        { had_email: u.email !== null, had_telegram: u.telegramId !== null, ...view(u) },
        view(after),
        {
          reason,
          jobs: purged.jobs,
          files: purged.files,
          sessions_ended: ended.sessions,
          keys_revoked: ended.keys,
        },
      );
      d.log.info("admin_user_deleted", "", {
        user_id: u.id,
        actor: by.actor,
        jobs: purged.jobs,
        files: purged.files,
      });
      return { user: after, ...purged, sessions: ended.sessions, keys: ended.keys };
    },
  };
}
