// The RU/EN message catalogue shared by the bot, the web app, the CLI and error responses.
// Each area keeps its messages in its own file under messages/; keys are unique across all of them.

import { describeError, isAppError } from "../errors";
import { accountsMessages } from "./messages/accounts";
import { adminMessages } from "./messages/admin";
import { adminOpsMessages } from "./messages/admin-ops";
import { albumMessages } from "./messages/album";
import { audioMessages } from "./messages/audio";
import { botMessages } from "./messages/bot";
import { botStepMessages } from "./messages/bot-steps";
import { commonMessages } from "./messages/common";
import { historyMessages } from "./messages/history";
import { httpMessages } from "./messages/http";
import { jobsMessages } from "./messages/jobs";
import { limitsMessages } from "./messages/limits";
import { linkMessages } from "./messages/link";
import { mailMessages } from "./messages/mail";
import { opsMessages } from "./messages/ops";
import { paymentsMessages } from "./messages/payments";
import { schedulerMessages } from "./messages/scheduler";
import { storageMessages } from "./messages/storage";
import { subscriptionMessages } from "./messages/subscriptions";
import { webMessages } from "./messages/web";
import { webAccountMessages } from "./messages/web-account";
import { webAdminMessages } from "./messages/web-admin";
import { webAdminOpsMessages } from "./messages/web-admin-ops";
import { webAdminPaymentsMessages } from "./messages/web-admin-payments";
import { webAdminPricingMessages } from "./messages/web-admin-pricing";
import { webAlbumMessages } from "./messages/web-album";
import { webMasterMessages } from "./messages/web-master";
import { webResultMessages } from "./messages/web-result";

export type Lang = "ru" | "en";
export const LANGS: readonly Lang[] = ["ru", "en"];

/** One message in both languages. `{name}` placeholders are filled from params. */
export type Message = { ru: string; en: string };
export type Catalogue = Record<string, Message>;

/** Merges the area files; a key defined twice would silently win by import order, so it throws. */
function merge(parts: Catalogue[]): Catalogue {
  const out: Catalogue = {};
  for (const part of parts)
    for (const [key, msg] of Object.entries(part)) {
      if (key in out) throw new Error(`i18n: duplicate key ${key}`);
      out[key] = msg;
    }
  return out;
}

const catalogue: Catalogue = merge([
  commonMessages,
  albumMessages,
  accountsMessages,
  httpMessages,
  opsMessages,
  webMessages,
  audioMessages,
  jobsMessages,
  limitsMessages,
  schedulerMessages,
  botMessages,
  botStepMessages,
  subscriptionMessages,
  mailMessages,
  paymentsMessages,
  historyMessages,
  linkMessages,
  webAdminMessages,
  webMasterMessages,
  webAccountMessages,
  webResultMessages,
  adminMessages,
  adminOpsMessages,
  webAdminOpsMessages,
  webAdminPaymentsMessages,
  webAlbumMessages,
  webAdminPricingMessages,
  storageMessages,
]);

/** True when the catalogue has a message for `key`. */
export function hasMessage(key: string): boolean {
  return key in catalogue;
}

/**
 * The one place an error code becomes text (HTTP bodies, bot replies, CLI lines): codes are catalogue
 * keys; a code the catalogue lacks reads as "processing error (<code>)", never as a bare key or a crash.
 */
export function errorMessage(lang: Lang, code: string, params: Record<string, string | number> = {}): string {
  return hasMessage(code) ? t(lang, code, params) : t(lang, "error_unknown", { code });
}

/** An operator's one-line reason (the CLI): an AppError's text as above; anything else its own message. */
export function failureText(lang: Lang, err: unknown): string {
  return isAppError(err) ? errorMessage(lang, err.code, err.params) : describeError(err);
}

/**
 * Translates `key` into `lang`, filling `{placeholders}` from params.
 * An unknown key returns the key itself, so a missing translation is visible, never a crash.
 */
export function t(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const msg = catalogue[key];
  const text = msg ? msg[lang] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks ru or en from an Accept-Language header or a Telegram language_code (default en). */
export function pickLang(header: string | null | undefined, fallback: Lang = "en"): Lang {
  if (!header) return fallback;
  const parts = header
    .toLowerCase()
    .split(",")
    .map((p) => {
      const [tag = "", ...rest] = p.trim().split(";");
      const q = rest.find((r) => r.trim().startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of parts) {
    if (tag.startsWith("ru") || tag.startsWith("uk") || tag.startsWith("be") || tag.startsWith("kk"))
      return "ru";
    if (tag.startsWith("en")) return "en";
  }
  return fallback;
}

/** Every key (for catalogue completeness tests). */
export function allMessages(): Readonly<Catalogue> {
  return catalogue;
}
