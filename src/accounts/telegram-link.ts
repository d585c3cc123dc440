// One user across bot and web. The bot's /link gives a Telegram user a 6-digit code; the signed-in web
// account enters it (POST /api/auth/telegram/link) and the bot user is merged into the web account:
// telegram_id moves over, the balance moves by two ledger rows (ref "user:<bot id>", so a retry moves it
// once), the jobs are re-pointed through the job service, the referral rows follow, all in one transaction.
//
// Guessing is bounded twice, both persisted in SQLite (a restart resets nothing):
// - a code dies after 5 wrong codes entered *anywhere* during its 15-minute life (a wrong guess cannot be
//   told apart from one aimed at it), so no number of accounts or addresses gets more than 5 guesses at a
//   code: a 5 in 10^6 chance, then the owner asks for a new one;
// - a web account that entered 5 wrong codes within 15 minutes is locked out of linking for the rest of
//   that window (429 telegram_link_locked with retry_after).
//
// Tier after a merge: the better of the two (studio > pro > free) with its expiry; on equal tiers the later
// expiry (none = never ends). The web account's e-mail, password, language and sessions stay.

import { createHash, randomInt } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import type { OwnerRef } from "../jobs";
import type { Logger } from "../log";
import { ownerKeyOfUser, userOwnerKey } from "./caller";
import type { LinkUser } from "./link-store";
import type { AccountStores } from "./stores";

export const LINK_CODE_TTL_MS = 15 * 60_000;
export const LINK_MAX_FAILURES = 5;
export const LINK_LOCK_MS = 15 * 60_000;

/** The body of POST /api/auth/telegram/link: six digits (spaces and dashes a user may type are dropped). */
export const TelegramLinkInput = z.object({
  code: z
    .string()
    .max(32)
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "six digits"))
    .describe("The 6-digit code the bot's /link sent"),
});

const TIER_RANK: Record<string, number> = { free: 0, pro: 1, studio: 2 };
const rank = (tier: string) => TIER_RANK[tier] ?? 0;

/** The better tier of two users (see the header). Pure, exported for the unit test. */
export function betterTier(
  a: { tier: string; tierExpiresAt: number | null },
  b: { tier: string; tierExpiresAt: number | null },
): { tier: string; tierExpiresAt: number | null } {
  if (rank(a.tier) !== rank(b.tier)) return rank(a.tier) > rank(b.tier) ? a : b;
  if (a.tierExpiresAt === null || b.tierExpiresAt === null) return { tier: a.tier, tierExpiresAt: null };
  return a.tierExpiresAt >= b.tierExpiresAt ? a : b;
}

export type LinkResult = { telegram_username: string | null; moved_tokens: number; moved_jobs: number };

export interface TelegramLink {
  /** A fresh code for a Telegram-only user (replaces its previous one). Throws telegram_already_linked. */
  issueCode(botUser: Pick<LinkUser, "id" | "email">): { code: string; expiresAt: number };
  /** Merges the code's bot user into the web account (see the header for every refusal). */
  link(webUserId: number, code: string): LinkResult;
  /** Detaches Telegram from the web account; the next message from it starts a new Telegram-only user. */
  unlink(webUserId: number): void;
}

export type TelegramLinkDeps = {
  stores: AccountStores;
  log: Logger;
  /** billing's Ledger.moveAll: the bot user's whole balance to the web account, once per ref. */
  moveBalance: (from: number, to: number, ref: string) => number;
  /** The job service's reassignOwner (accounts never write the jobs table). */
  reassignJobs: (from: OwnerRef, to: OwnerRef) => number;
  /** Runs inside the merge's transaction (the referral rows follow the user). */
  onMerged?: (botUserId: number, webUserId: number) => void;
  now?: () => number;
};

const hashCode = (code: string) => createHash("sha256").update(`mm-link:${code}`).digest("hex");

type Outcome =
  | { kind: "invalid"; triesLeft: number }
  | { kind: "refused"; error: AppError }
  | { kind: "linked"; result: LinkResult; bot: LinkUser };

export function createTelegramLink(deps: TelegramLinkDeps): TelegramLink {
  const { log, now = Date.now } = deps;
  const store = deps.stores.link;
  const recordAudit = deps.stores.audit;

  const merge = (bot: LinkUser, web: LinkUser): LinkResult => {
    store.mergeUsers(bot, web, betterTier(web, bot));
    const movedTokens = deps.moveBalance(bot.id, web.id, `user:${bot.id}`);
    const movedJobs = deps.reassignJobs(
      { userId: bot.id, ownerKey: ownerKeyOfUser(bot) },
      { userId: web.id, ownerKey: userOwnerKey(web.id) },
    );
    deps.onMerged?.(bot.id, web.id);
    recordAudit({
      actor: `user:${web.id}`,
      action: "telegram_link",
      target: `user:${web.id}`,
      details: {
        bot_user_id: bot.id,
        telegram_id: bot.telegramId,
        moved_tokens: movedTokens,
        moved_jobs: movedJobs,
      },
    });
    return { telegram_username: bot.telegramUsername, moved_tokens: movedTokens, moved_jobs: movedJobs };
  };

  const attempt = (webUserId: number, code: string): Outcome => {
    const t = now();
    const web = store.user(webUserId);
    if (!web) return { kind: "refused", error: new AppError("session_required", 401) };
    if (web.telegramId !== null)
      return { kind: "refused", error: new AppError("telegram_already_linked", 409) };
    const recent = store.failuresSince(webUserId, t - LINK_LOCK_MS);
    const fifth = recent[recent.length - LINK_MAX_FAILURES];
    if (fifth !== undefined) {
      const retry = Math.max(1, Math.ceil((fifth + LINK_LOCK_MS - t) / 1000));
      return { kind: "refused", error: new AppError("telegram_link_locked", 429, { retry_after: retry }) };
    }
    const row = store.liveCode(hashCode(code), t, LINK_MAX_FAILURES);
    const bot = row ? store.user(row.userId) : undefined;
    if (!row || !bot || !store.consumeCode(row.id)) {
      store.recordFailure(webUserId, t, LINK_LOCK_MS);
      return { kind: "invalid", triesLeft: Math.max(0, LINK_MAX_FAILURES - recent.length - 1) };
    }
    if (bot.email !== null || bot.telegramId === null)
      return { kind: "refused", error: new AppError("telegram_already_linked", 409) };
    if (bot.bannedAt !== null) return { kind: "refused", error: new AppError("telegram_user_banned", 403) };
    return { kind: "linked", result: merge(bot, web), bot };
  };

  return {
    issueCode(botUser) {
      if (botUser.email !== null) throw new AppError("telegram_already_linked", 409);
      for (let i = 0; i < 20; i++) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
        const t = now();
        const expiresAt = t + LINK_CODE_TTL_MS;
        // A draw equal to another user's live code is drawn again (codes must identify one user).
        if (store.putCode(botUser.id, hashCode(code), t, expiresAt)) {
          log.info("telegram_link_code_issued", "", { user_id: botUser.id, expires_at: expiresAt });
          return { code, expiresAt };
        }
      }
      throw new AppError("internal_error", 500);
    },
    link(webUserId, code) {
      // One write transaction: a failure strike, or the whole merge, commits or not at all; a concurrent
      // second request with the same code finds it consumed (an unknown code, so it merges nothing).
      const out = store.atomically(() => attempt(webUserId, code));
      if (out.kind === "invalid") {
        log.info("telegram_link_failed", "", { user_id: webUserId, tries_left: out.triesLeft });
        throw new AppError("telegram_code_invalid", 400, { tries_left: out.triesLeft });
      }
      if (out.kind === "refused") throw out.error;
      log.info("telegram_linked", "", {
        user_id: webUserId,
        bot_user_id: out.bot.id,
        moved_tokens: out.result.moved_tokens,
        moved_jobs: out.result.moved_jobs,
      });
      return out.result;
    },
    unlink(webUserId) {
      store.atomically(() => {
        if (!store.clearTelegram(webUserId)) throw new AppError("telegram_not_linked", 409);
        recordAudit({
          actor: `user:${webUserId}`,
          action: "telegram_unlink",
          target: `user:${webUserId}`,
        });
      });
      log.info("telegram_unlinked", "", { user_id: webUserId });
    },
  };
}
