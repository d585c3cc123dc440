// The referral programme. Every user has a code (8 characters, made on first use); a new web account
// registering with `ref`, or a Telegram user whose first message is the deep link `/start ref_CODE`,
// becomes the inviter's invitee (one inviter per invitee, unique). Bonuses are ledger rows, each once:
// - invitee: MM_REFERRAL_BONUS_INVITEE tokens at sign-up, reason "referral_invitee", ref "referral:<id>";
// - inviter: MM_REFERRAL_BONUS_INVITER tokens after the invitee's first successful (done) job, reason
//   "referral_inviter", same ref; the pending → rewarded update and the row commit together.
// No self-referral: one's own code is refused, and a Telegram link that merges inviter and invitee into
// one user voids the referral and takes back what it paid ("referral_void", never below zero).

import { randomInt } from "node:crypto";
import type { Logger } from "../log";
import type { ReferralRow } from "./referral-store";
import type { AccountStores } from "./stores";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** Normalises a typed or linked code; undefined when it cannot be one. */
export const normaliseReferralCode = (raw: string): string | undefined => {
  const c = raw.trim().toUpperCase();
  return /^[A-Z0-9]{4,16}$/.test(c) ? c : undefined;
};

export type LedgerOnce = { reason: string; ref: string; actor: string; note?: string };
export type ReferralBonuses = { invitee: number; inviter: number };
export type AttachOutcome = "ok" | "unknown_code" | "self" | "already";

export type ReferralLink = {
  referral_code: string;
  referral_url: string;
  bot_referral_url: string | null;
};
export type ReferralStats = {
  referrals: {
    status: ReferralRow["status"];
    via: ReferralRow["via"];
    created_at: number;
    rewarded_at: number | null;
  }[];
  total_invited: number;
  total_rewarded: number;
  bonus_invitee: number;
  bonus_inviter: number;
};

export interface Referral {
  codeOf(userId: number): string;
  myLink(userId: number): ReferralLink;
  stats(userId: number): ReferralStats;
  /** `inviteeId` signed up with `code`: records the referral and pays the invitee bonus once. */
  attach(inviteeId: number, code: string, via: "web" | "bot"): AttachOutcome;
  /** A job of `userId` finished done: pays their inviter once (cheap no-op for everyone else). */
  onJobDone(userId: number): void;
  /** Inside the Telegram link's transaction: referral rows follow the merged user (see the header). */
  onMerged(botUserId: number, webUserId: number): void;
  /** Start-up: pays inviter bonuses whose trigger was lost to a crash. How many were paid. */
  recover(hasDoneJob: (userId: number) => boolean): number;
}

export type ReferralDeps = {
  stores: AccountStores;
  log: Logger;
  bonuses: ReferralBonuses;
  /** billing's Ledger.grantOnce / takeOnce / amountOf. */
  grant: (userId: number, n: number, e: LedgerOnce) => boolean;
  take: (userId: number, n: number, e: LedgerOnce) => number;
  amountOf: (reason: string, ref: string) => number;
  publicUrl: string;
  /** The bot's @username once it is connected (undefined: no bot link). */
  botUsername: () => string | undefined;
  now?: () => number;
};

export const INVITEE_BONUS = "referral_invitee";
export const INVITER_BONUS = "referral_inviter";
export const REFERRAL_VOID = "referral_void";

export function createReferral(deps: ReferralDeps): Referral {
  const { log, bonuses, now = Date.now } = deps;
  const store = deps.stores.referral;
  const refOf = (r: ReferralRow) => `referral:${r.id}`;

  const codeOf = (userId: number): string => {
    for (let i = 0; i < 20; i++) {
      const have = store.codeOf(userId);
      if (have) return have;
      const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
      store.setCode(userId, code);
    }
    throw new Error("referral: unable to assign a code");
  };

  const voidReferral = (r: ReferralRow, holder: number) => {
    store.setStatus(r.id, "void");
    const paid = deps.amountOf(INVITEE_BONUS, refOf(r)) + deps.amountOf(INVITER_BONUS, refOf(r));
    const taken =
      paid > 0 ? deps.take(holder, paid, { reason: REFERRAL_VOID, ref: refOf(r), actor: "system" }) : 0;
    log.info("referral_voided", "", { user_id: holder, referral_id: r.id, taken });
  };

  const onJobDone = (userId: number) => {
    const r = store.ofInvitee(userId);
    if (r?.status !== "pending") return;
    const paid = store.atomically(() => {
      const row = store.markRewarded(r.id, now());
      if (!row) return false;
      deps.grant(row.inviterId, bonuses.inviter, {
        reason: INVITER_BONUS,
        ref: refOf(row),
        actor: "system",
        note: `invitee user:${userId}`,
      });
      return true;
    });
    if (paid)
      log.info("referral_rewarded", "", { user_id: r.inviterId, invitee_id: userId, bonus: bonuses.inviter });
  };

  return {
    codeOf,
    myLink(userId) {
      const code = codeOf(userId);
      const base = deps.publicUrl.replace(/\/+$/, "");
      const bot = deps.botUsername();
      return {
        referral_code: code,
        referral_url: `${base}/register?ref=${code}`,
        bot_referral_url: bot ? `https://t.me/${bot}?start=ref_${code}` : null,
      };
    },
    stats(userId) {
      const rows = store.listOfInviter(userId, 500);
      return {
        referrals: rows.map((r) => ({
          status: r.status,
          via: r.via,
          created_at: r.createdAt,
          rewarded_at: r.rewardedAt,
        })),
        total_invited: rows.filter((r) => r.status !== "void").length,
        total_rewarded: rows.filter((r) => r.status === "rewarded").length,
        bonus_invitee: bonuses.invitee,
        bonus_inviter: bonuses.inviter,
      };
    },
    attach(inviteeId, raw, via) {
      const code = normaliseReferralCode(raw);
      const owner = code ? store.userByCode(code) : undefined;
      if (!owner) {
        log.info("referral_unknown_code", "", { user_id: inviteeId, via });
        return "unknown_code";
      }
      const inviterId = owner.mergedInto ?? owner.id;
      if (inviterId === inviteeId) {
        log.info("referral_self_refused", "", { user_id: inviteeId, via });
        return "self";
      }
      const out = store.atomically(() => {
        const r = store.insert(inviterId, inviteeId, via, now());
        if (!r) return "already" as const;
        deps.grant(inviteeId, bonuses.invitee, {
          reason: INVITEE_BONUS,
          ref: refOf(r),
          actor: "system",
          note: `inviter user:${inviterId}`,
        });
        return "ok" as const;
      });
      log.info("referral_attached", "", { user_id: inviteeId, inviter_id: inviterId, via, outcome: out });
      return out;
    },
    onJobDone,
    onMerged(botUserId, webUserId) {
      for (const r of store.involving(botUserId)) {
        const other = r.inviterId === botUserId ? r.inviteeId : r.inviterId;
        if (other === webUserId) voidReferral(r, webUserId);
        else if (r.inviterId === botUserId) store.repoint(r.id, "inviterId", webUserId);
        // One inviter per person: the web account's own referral stands, the bot user's is taken back.
        else if (store.ofInvitee(webUserId)) voidReferral(r, webUserId);
        else store.repoint(r.id, "inviteeId", webUserId);
      }
    },
    recover(hasDoneJob) {
      let n = 0;
      for (const r of store.pending(1000))
        if (hasDoneJob(r.inviteeId)) {
          onJobDone(r.inviteeId);
          n++;
        }
      return n;
    },
  };
}
