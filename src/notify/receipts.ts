// Receipts: after settlement committed a credit (or a refund), the buyer gets one message in their
// language — by e-mail when they have an address (a confirmed one when SMTP really delivers, as the
// subscription warnings), and by the bot when their account is linked to Telegram — naming the plan, the
// amount, the tokens and the tier's new expiry; the admin chat gets "payment received" (or "refund") with
// amount, provider, user and order. Settlement reports each change once and never a duplicate, so a
// notification delivered ten times sends one receipt. Sending never throws and never blocks settlement:
// the messages leave in the background (`idle()` waits for them: tests, shutdown). A crash between the
// commit and the send loses that receipt rather than ever sending it twice.

import { moneyString, type SettlementEvent } from "../billing";
import { type Lang, t } from "../i18n";
import type { Logger } from "../log";
import type { Mailer } from "./mail";
import type { Notifier } from "./notifier";
import type { UserMessenger } from "./user-message";

/** What a receipt needs of the buyer (accounts' user row has these fields). */
export type ReceiptUser = {
  id: number;
  lang: Lang;
  email: string | null;
  emailVerifiedAt: number | null;
  telegramId: string | null;
  telegramUsername: string | null;
  botBlockedAt: number | null;
  tier: string;
  tierExpiresAt: number | null;
};

export type ReceiptsDeps = {
  /** The buyer as they are after the commit (tier and expiry included). */
  userOf: (userId: number) => ReceiptUser | undefined;
  /** The plan's label in `lang` (the order's plan key when the plan is gone). */
  planLabel: (planKey: string, lang: Lang) => string;
  balanceOf: (userId: number) => number;
  mailer: Mailer;
  messenger: UserMessenger;
  admin?: Pick<Notifier, "tellAdmin">;
  /** Telegram said the user blocked the bot (accounts.markBotBlocked). */
  onBotBlocked?: (telegramId: string) => void;
  log: Logger;
};

export interface Receipts {
  /** Settlement's hook (PaymentsWiring.onSettled): sends in the background, never throws. */
  onSettled(e: SettlementEvent): void;
  /** Resolves when every message started so far has been sent or has failed. */
  idle(): Promise<void>;
}

/** "2026-12-04 15:30 UTC", the same in both languages. */
const dateOf = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Minor units as the buyer reads them: "1000.00 ₽", "600 ⭐" (Stars are stored ×100 like kopecks). */
export function moneyText(minor: number, currency: string): string {
  if (currency === "XTR") return `${minor / 100} ⭐`;
  return currency === "RUB" ? `${moneyString(minor)} ₽` : `${moneyString(minor)} ${currency}`;
}

/** How the admin chat names a user: e-mail, @username, Telegram id, and always the internal id. */
const userLabel = (u: ReceiptUser | undefined, id: number) =>
  [
    u?.email,
    u?.telegramUsername ? `@${u.telegramUsername}` : null,
    u?.telegramId ? `tg:${u.telegramId}` : null,
  ]
    .filter(Boolean)
    .concat(`#${id}`)
    .join(" ");

export function createReceipts(d: ReceiptsDeps): Receipts {
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch(() => {}).finally(() => inflight.delete(q));
    inflight.add(q);
  };

  /** The receipt's lines for the buyer: what was bought, what it gave, where the balance/tier stands. */
  function params(e: SettlementEvent, u: ReceiptUser): Record<string, string | number> {
    const o = e.order;
    const amount = e.type === "refunded" ? e.amountMinor : o.amountMinor;
    const tierLine =
      o.kind !== "tier" || !o.tier
        ? ""
        : u.tier !== o.tier
          ? t(u.lang, "receipt_tier_now", { tier: u.tier })
          : u.tierExpiresAt === null
            ? t(u.lang, "receipt_tier_forever", { tier: o.tier })
            : t(u.lang, "receipt_tier_until", { tier: o.tier, date: dateOf(u.tierExpiresAt) });
    return {
      plan: d.planLabel(o.planKey, u.lang),
      amount: moneyText(amount, o.currency),
      tokens: e.type === "refunded" ? e.tokensTaken : o.tokens,
      balance: d.balanceOf(o.userId),
      tier_line: tierLine,
      order: o.id,
    };
  }

  async function mail(e: SettlementEvent, u: ReceiptUser, p: Record<string, string | number>) {
    // With SMTP only a confirmed address is written to (it may belong to someone else otherwise).
    if (!u.email || (d.mailer.delivers && u.emailVerifiedAt === null)) return;
    const kind = e.type === "credited" ? "receipt" : "refund_notice";
    try {
      await d.mailer.send({
        to: u.email,
        subject: t(u.lang, `${kind}_subject`, p),
        text: t(u.lang, `${kind}_text`, p)
          .replace(/\n{3,}/g, "\n\n")
          .trimEnd(),
        kind,
        userId: u.id,
      });
    } catch (err) {
      d.log.warn("receipt_failed", (err as Error).message, {
        channel: "email",
        order_id: e.order.id,
        user_id: u.id,
      });
    }
  }

  async function bot(e: SettlementEvent, u: ReceiptUser, p: Record<string, string | number>) {
    if (!u.telegramId || u.botBlockedAt !== null) return;
    const kind = e.type === "credited" ? "receipt" : "refund_notice";
    const text = t(u.lang, `${kind}_bot`, p)
      .replace(/\n{2,}/g, "\n")
      .trimEnd();
    const r = await d.messenger.send(u.telegramId, text, kind);
    if (r === "blocked") d.onBotBlocked?.(u.telegramId);
  }

  async function admin(e: SettlementEvent, u: ReceiptUser | undefined) {
    if (!d.admin) return;
    const o = e.order;
    const amount = e.type === "refunded" ? e.amountMinor : o.amountMinor;
    await d.admin.tellAdmin(e.type === "credited" ? "payment_received" : "payment_refunded", (lang) =>
      t(lang, e.type === "credited" ? "admin_payment_received" : "admin_payment_refunded", {
        amount: moneyText(amount, o.currency),
        provider: o.provider,
        plan: d.planLabel(o.planKey, lang),
        user: userLabel(u, o.userId),
        order: o.id,
        tokens: e.type === "refunded" ? e.tokensTaken : o.tokens,
        scope: e.type === "refunded" && !e.full ? t(lang, "admin_refund_partial") : "",
      }),
    );
  }

  return {
    onSettled(e) {
      const u = d.userOf(e.order.userId);
      d.log.info("receipt_queued", "", { order_id: e.order.id, user_id: e.order.userId, type: e.type });
      track(admin(e, u));
      if (!u) return;
      const p = params(e, u);
      track(mail(e, u, p));
      track(bot(e, u, p));
    },
    idle: async () => {
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
}
