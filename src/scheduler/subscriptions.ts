// The `subscriptions` task: paid tiers past their expiry go back to free (accounts audits each), and a
// user whose tier ends within 3 days is warned once by e-mail and once by the bot, in their language.
// A warning is keyed on (user, the expiry it warns about, channel) and recorded after it was sent, so a
// restart or the next run does not resend it, a renewal (a new expiry) is warned about again, and a
// channel that failed is retried on the next run. Banned users are not warned; they still expire.
// E-mail goes only to a confirmed address when SMTP delivers (without SMTP it is only logged).

import type { Api } from "grammy";
import type { Accounts, Subscriber, Subscriptions, WarningChannel } from "../accounts";
import { t } from "../i18n";
import type { Logger } from "../log";
import { createLogMailer, createUserMessenger, type Mailer, type UserMessenger } from "../notify";
import type { Task, TaskCounts, TaskDeps } from "./types";

/** How long before the end the warning goes out. */
export const WARN_BEFORE_MS = 3 * 86_400_000;

/** What the task needs beyond the shared deps (wired by service.ts and `cron run`). */
export type SubscriptionTaskDeps = {
  accounts: Pick<Subscriptions, "expireDue" | "expiringWithin" | "warningSent" | "recordWarning">;
  mailer: Mailer;
  messenger: UserMessenger;
  /** Telegram said the user blocked the bot: stop writing to them (accounts.markBotBlocked). */
  onBotBlocked: (telegramId: string) => void;
  /** Where to renew (MM_PUBLIC_URL; empty: no link in the mail). */
  publicUrl: string;
};

/** The task's deps from the accounts service and the bot's API client (service.ts and `cron run`). */
export function subscriptionDeps(o: {
  accounts: Pick<Accounts, "subscriptions" | "markBotBlocked">;
  api: Api | undefined;
  log: Logger;
  publicUrl: string;
  /** Default: the log-only mailer (no MM_SMTP_URL). */
  mailer?: Mailer;
}): SubscriptionTaskDeps {
  return {
    accounts: o.accounts.subscriptions,
    mailer: o.mailer ?? createLogMailer(o.log),
    messenger: createUserMessenger(o.api, o.log),
    onBotBlocked: (id) => o.accounts.markBotBlocked(id),
    publicUrl: o.publicUrl,
  };
}

/** "2026-12-04 15:30" (UTC), the same in both languages. */
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

async function warn(
  s: SubscriptionTaskDeps,
  u: Subscriber,
  channel: WarningChannel,
  at: number,
): Promise<"sent" | "failed" | "off"> {
  const params = { tier: u.tier, date: dateOf(u.tierExpiresAt), link: s.publicUrl };
  if (channel === "email") {
    try {
      await s.mailer.send({
        to: u.email ?? "",
        subject: t(u.lang, "tier_expiring_subject", params),
        text: t(u.lang, "tier_expiring_text", params).trimEnd(),
        kind: "tier_expiring",
        userId: u.id,
      });
    } catch {
      return "failed"; // the mailer logged it; the next run tries again
    }
  } else {
    const r = await s.messenger.send(
      u.telegramId ?? "",
      t(u.lang, "tier_expiring_bot", params),
      "tier_expiring",
    );
    if (r === "blocked") s.onBotBlocked(u.telegramId ?? "");
    if (r === "off") return "off"; // no bot configured: nothing recorded, sent once a bot runs
    if (r !== "sent") return "failed";
  }
  s.accounts.recordWarning(u.id, u.tierExpiresAt, channel, at);
  return "sent";
}

/** One pass: expire, then warn. Exported for tests with their own deps and clock. */
export async function runSubscriptions(d: TaskDeps, s: SubscriptionTaskDeps): Promise<TaskCounts> {
  const at = d.now().getTime();
  const expired = s.accounts.expireDue(at);
  const counts = { expired: expired.length, warned_email: 0, warned_bot: 0, warn_failed: 0 };
  for (const u of s.accounts.expiringWithin(WARN_BEFORE_MS, at)) {
    if (u.bannedAt !== null) continue;
    const channels: WarningChannel[] = [];
    // With SMTP only a confirmed address is written to (it may belong to someone else otherwise).
    if (u.email && (u.emailVerifiedAt !== null || !s.mailer.delivers)) channels.push("email");
    if (u.telegramId && u.botBlockedAt === null) channels.push("bot");
    for (const channel of channels) {
      if (s.accounts.warningSent(u.id, u.tierExpiresAt, channel)) continue;
      const r = await warn(s, u, channel, at);
      if (r === "off") continue;
      if (r === "failed") counts.warn_failed++;
      else if (channel === "email") counts.warned_email++;
      else counts.warned_bot++;
    }
  }
  if (counts.warn_failed > 0)
    d.log.warn("tier_warnings_failed", "some warnings were not sent; the next run retries", counts);
  return counts;
}

export const subscriptionsTask: Task = {
  name: "subscriptions",
  schedule: (c) => c.MM_CRON_SUBSCRIPTIONS,
  async run(d) {
    // A wiring bug, not a quiet no-op: the service and `cron run` always pass it.
    if (!d.subscriptions) throw new Error("subscriptions task: accounts, mailer and bot not wired");
    return runSubscriptions(d, d.subscriptions);
  },
};
