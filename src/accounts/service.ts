// The accounts service: who a Telegram user is, their language, bans and the admin user report.
// Used by the bot now and by the ops CLI later; every ban/unban is written to the audit log.

import { AppError } from "../errors";
import { type Lang, pickLang } from "../i18n";
import type { UserJobCounts } from "../jobs";
import type { Logger } from "../log";
import type { BotSessionStore } from "./bot-sessions";
import type { BotUpdateStore } from "./bot-updates";
import { userOwnerKey } from "./caller";
import type { FeedbackInput, UserRow as Row, UserTotals } from "./store";
import type { AccountStores } from "./stores";
import { createSubscriptions, type Subscriptions } from "./subscriptions";

export type UserRow = Row;

/** The banned user's row and what the ban ended. */
export type BannedUser = UserRow & { sessionsEnded: number; jobsCancelled: number };

/** The fields of a Telegram `User` the service reads. */
export type TelegramFrom = { id: number; username?: string; language_code?: string };

/** Everything an admin sees about one user (`/user`, `magic-master admin user`). */
export type UserReport = {
  id: number;
  telegram_id: string | null;
  username: string | null;
  lang: Lang;
  tier: string;
  created_at: number;
  last_seen_at: number | null;
  banned: boolean;
  banned_at: number | null;
  ban_reason: string | null;
  bot_blocked: boolean;
  jobs: UserJobCounts;
};

export interface Accounts {
  /** Upserts the sender of an update: username and last-seen refreshed, language set on first sight only. */
  seenTelegramUser(from: TelegramFrom): UserRow;
  /** Finds a user by "@username", a Telegram id, or "id:<n>" / "#<n>" (internal id). */
  find(ref: string): UserRow | undefined;
  findByTelegramId(telegramId: number | string): UserRow | undefined;
  isBanned(user: Pick<UserRow, "bannedAt">): boolean;
  /**
   * Bans with a reason: ends the sessions, cancels and refunds the queued jobs (keys and the bot refuse
   * the user from the next request on); audited. Throws `user_not_found`.
   */
  ban(ref: string, reason: string, actor: string, ip?: string | null): BannedUser;
  /** Lifts a ban; audited (`ip`: the admin's address over HTTP). Throws `user_not_found`. */
  unban(ref: string, actor: string, ip?: string | null): UserRow;
  setLang(userId: number, lang: Lang): void;
  /** Telegram answered 403 for this chat: stop broadcasting to it until the user writes again. */
  markBotBlocked(telegramId: number | string): void;
  broadcastRecipients(): string[];
  report(ref: string): UserReport | undefined;
  usersSince(since: number): { new_users: number; active_users: number };
  /** Users created in the UTC interval [start, end) and the ids of those seen in it (daily statistics). */
  usersOfDay(start: number, end: number): { created: number; seenIds: number[] };
  /** The admin dashboard's head counts at `now`, new/active since `since` (merged rows not counted). */
  userTotals(since: number, now: number): UserTotals;
  recordFeedback(f: FeedbackInput): number;
  /** The bot's conversation state per chat (bot_sessions). */
  botSessions: BotSessionStore;
  /** Telegram update ids already claimed or handled (bot_updates): a replayed update is not run twice. */
  botUpdates: BotUpdateStore;
  /** Paid tiers with an expiry: extendTier (payments, admin), expiry and warnings (the scheduler). */
  subscriptions: Subscriptions;
  /** `subscriptions.extendTier`: extends from the current expiry when the tier is the same; idempotent on ref. */
  extendTier: Subscriptions["extendTier"];
  /** `subscriptions.shortenTier`: a refund takes back what a tier grant added; idempotent on ref. */
  shortenTier: Subscriptions["shortenTier"];
}

export type AccountsDeps = {
  stores: AccountStores;
  log: Logger;
  now?: () => number;
  /** Counts of one user's jobs for the report: the job service's `reports.countsOfUser` (accounts never
   * read the jobs table). */
  jobsOfUser: (userId: number, ownerKey: string | null) => UserJobCounts;
  /** Tiers one can pay for (extendTier refuses others); default pro and studio. */
  isPaidTier?: (tier: string) => boolean;
  /**
   * Cancels (and refunds, once each) a user's queued jobs: the job service's `cancelQueuedOfUser`, so a
   * ban never touches the jobs table from here. Returns how many were cancelled. Every service and CLI
   * wiring passes it; only tests of accounts alone leave it out.
   */
  cancelQueuedJobs?: (userId: number, ownerKeys: readonly string[], actor: string) => number;
};

/** Owner key of a Telegram user's jobs (shared with the job service and the web link). */
export const telegramOwnerKey = (telegramId: number | string): string => `tg:${telegramId}`;

/** Every owner key a user's jobs may carry: the web/API one and, when linked, the Telegram one. */
const ownerKeysOf = (u: Pick<UserRow, "id" | "telegramId">): string[] =>
  u.telegramId ? [userOwnerKey(u.id), telegramOwnerKey(u.telegramId)] : [userOwnerKey(u.id)];

export function createAccounts({
  stores,
  log,
  now = Date.now,
  jobsOfUser,
  isPaidTier,
  cancelQueuedJobs = () => 0,
}: AccountsDeps): Accounts {
  const subscriptions = createSubscriptions({ stores, log, now, isPaidTier });
  const store = stores.users;
  const recordAudit = stores.audit;
  const find = (ref: string): UserRow | undefined => {
    const r = ref.trim();
    if (r.startsWith("@")) return store.byUsername(r.slice(1));
    if (r.includes("@")) return store.byEmail(r);
    const internal = /^(?:id:|#)(\d+)$/i.exec(r);
    if (internal) return store.byId(Number(internal[1]));
    const tg = /^(?:tg:)?(-?\d+)$/i.exec(r);
    if (tg) return store.byTelegramId(tg[1] ?? "");
    return store.byUsername(r);
  };
  const mustFind = (ref: string): UserRow => {
    const u = find(ref);
    if (!u) throw new AppError("user_not_found", 404, { ref });
    return u;
  };

  return {
    seenTelegramUser(from) {
      return store.upsertTelegram(
        {
          telegramId: String(from.id),
          username: from.username ?? null,
          lang: pickLang(from.language_code, "en"),
        },
        now(),
      );
    },
    find,
    findByTelegramId: (id) => store.byTelegramId(String(id)),
    isBanned: (u) => u.bannedAt !== null,
    ban(ref, reason, actor, ip) {
      const u = mustFind(ref);
      const row = store.setBan(u.id, { at: now(), reason }) ?? u;
      // Sign-in already refuses a banned user on every request; deleting the sessions also keeps an
      // unban from reviving them.
      const sessionsEnded = store.deleteSessionsOf(u.id);
      // API keys and the bot read the ban on every request/update; queued work would still run (and
      // keep its charge), so it is cancelled and refunded now. Running jobs finish: they were paid for.
      const jobsCancelled = cancelQueuedJobs(u.id, ownerKeysOf(u), actor);
      recordAudit({
        actor,
        action: "user_ban",
        target: `user:${u.id}`,
        details: {
          reason,
          telegram_id: u.telegramId,
          sessions_ended: sessionsEnded,
          jobs_cancelled: jobsCancelled,
          ...(ip === undefined ? {} : { ip }),
          before: { banned_at: u.bannedAt, ban_reason: u.banReason },
          after: { banned_at: row.bannedAt, ban_reason: row.banReason },
        },
      });
      log.info("user_banned", "", {
        user_id: u.id,
        actor,
        reason,
        sessions_ended: sessionsEnded,
        jobs_cancelled: jobsCancelled,
      });
      return { ...row, sessionsEnded, jobsCancelled };
    },
    unban(ref, actor, ip) {
      const u = mustFind(ref);
      const row = store.setBan(u.id, null) ?? u;
      recordAudit({
        actor,
        action: "user_unban",
        target: `user:${u.id}`,
        details: {
          telegram_id: u.telegramId,
          ...(ip === undefined ? {} : { ip }),
          before: { banned_at: u.bannedAt, ban_reason: u.banReason },
          after: { banned_at: row.bannedAt, ban_reason: row.banReason },
        },
      });
      log.info("user_unbanned", "", { user_id: u.id, actor });
      return row;
    },
    setLang: (userId, lang) => store.setLang(userId, lang),
    markBotBlocked(telegramId) {
      store.setBotBlocked(String(telegramId), now());
      log.info("bot_blocked_by_user", "", { telegram_id: String(telegramId) });
    },
    broadcastRecipients: () => store.broadcastRecipients(),
    report(ref) {
      const u = find(ref);
      if (!u) return undefined;
      return {
        id: u.id,
        telegram_id: u.telegramId,
        username: u.telegramUsername,
        lang: u.lang,
        tier: u.tier,
        created_at: u.createdAt,
        last_seen_at: u.lastSeenAt,
        banned: u.bannedAt !== null,
        banned_at: u.bannedAt,
        ban_reason: u.banReason,
        bot_blocked: u.botBlockedAt !== null,
        jobs: jobsOfUser(u.id, u.telegramId ? telegramOwnerKey(u.telegramId) : null),
      };
    },
    usersSince: (since) => store.countSince(since),
    usersOfDay: (start, end) => store.ofDay(start, end),
    userTotals: (since, at) => store.totals(since, at),
    recordFeedback: (f) => store.insertFeedback(f, now()),
    botSessions: stores.botSessions,
    botUpdates: stores.botUpdates,
    subscriptions,
    extendTier: subscriptions.extendTier,
    shortenTier: subscriptions.shortenTier,
  };
}
