// What the accounts store suite (store-suite.ts) shares: a backend's fresh database and test users.

import type { AccountStores } from "../../../src/accounts";

export type AuditLine = { actor: string; action: string; target: string | null; details: string | null };

/** One fresh database of a backend, its stores, and what the suite reads around them. */
export type StoreDb = {
  stores: AccountStores;
  /** The audit log, oldest first (the suite checks the audit joins transactions). */
  audit(): AuditLine[];
  close(): void | Promise<void>;
};

export type StoreBackend = {
  name: string;
  /** A fresh, migrated, empty database; `now` stamps what the stores time themselves (bot sessions). */
  open(o?: { now?: () => number }): StoreDb;
  /** True when the backend cannot run here (the caller has logged why). */
  skip?: boolean;
};

/** The current test's database (set by beforeEach). */
export type Current = { db: StoreDb; s: AccountStores };

export const T0 = Date.UTC(2026, 5, 1);

let tg = 5000;
/** A fresh Telegram user. */
export const tgUser = (s: AccountStores, name: string | null = null, at = T0) =>
  s.users.upsertTelegram({ telegramId: String(++tg), username: name, lang: "ru" }, at);
/** A fresh web user (e-mail + password hash). */
export const webUser = (s: AccountStores, email: string, at = T0) => {
  const u = s.auth.createUser(email, "hash", at);
  if (!u) throw new Error(`test: ${email} taken`);
  return u;
};
