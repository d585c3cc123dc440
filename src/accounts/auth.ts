// The sign-in service: register, login, logout, change password and resolving a session token to a user.
// Sessions are opaque random tokens (32 bytes); only their SHA-256 is stored. Every resolve reads the
// session and the user's ban from the database (nothing cached), so logout, a password change or a ban
// ends access on the very next request.

import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import type { Lang } from "../i18n";
import type { Logger } from "../log";
import { type AttemptRule, createAttemptLimiter } from "./attempts";
import type { AuthStore, AuthUser } from "./auth-store";
import type { EmailTokenStore } from "./email-tokens-store";

/**
 * argon2id at OWASP's second profile (19 MiB, t=2, p=1): ~60–130 ms a verify here depending on load, so
 * two cores sign in ≥ 20 users/s (bench/login.ts measures it) while one guess costs the same 19 MiB.
 */
export const PASSWORD_HASH = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());
export const PasswordSchema = z.string().min(8, "at least 8 characters").max(256);

export const RegisterInput = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  ref: z.string().max(64).optional().describe("Referral code (kept for the referral feature)"),
});
export const LoginInput = z.object({ email: EmailSchema, password: z.string().min(1).max(256) });
export const ChangePasswordInput = z.object({
  current_password: z.string().min(1).max(256),
  new_password: PasswordSchema,
});

export type SessionGrant = { token: string; expiresAt: number; user: AuthUser };
export type RequestMeta = {
  ip: string;
  userAgent: string | null;
  /** The caller's language: a new account's mails are written in it. */
  lang?: Lang;
  /** Where the request came (scheme://host), for links in mails when MM_PUBLIC_URL is empty. */
  baseUrl?: string;
};

/** What sign-in tells the e-mail flows (email-flows.ts). Without it no mail is sent and none is required. */
export interface RegistrationMail {
  /** True when an account must confirm its e-mail before signing in (SMTP really delivers). */
  readonly required: boolean;
  registered(user: AuthUser, meta: RequestMeta): void;
  registeredKnown(email: string, meta: RequestMeta): void;
  /** A correct password on an unconfirmed account: the link is sent again. */
  unverifiedLogin(user: AuthUser, meta: RequestMeta): void;
}

/** perIp: failed sign-ins and every registration from one address; perAccount: failed sign-ins of one account. */
export type AuthLimits = { perIp: AttemptRule; perAccount: AttemptRule };
export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  perIp: { max: 30, windowMs: 10 * 60_000 },
  perAccount: { max: 10, windowMs: 15 * 60_000 },
};

export interface Auth {
  /** Creates the account, or does nothing for a known e-mail (same time and answer: no enumeration). */
  register(input: z.output<typeof RegisterInput>, meta: RequestMeta): Promise<SessionGrant | null>;
  /** Throws invalid_credentials (401) for a wrong password or unknown e-mail alike, too_many_attempts (429). */
  login(input: z.output<typeof LoginInput>, meta: RequestMeta): Promise<SessionGrant>;
  logout(token: string): void;
  /** The live session's user, or undefined (unknown, expired, or the user is banned). */
  resolve(token: string): { user: AuthUser; sessionId: number } | undefined;
  /** Checks the current password, stores the new one and ends every other session of the user. */
  changePassword(
    session: { user: AuthUser; sessionId: number },
    input: z.output<typeof ChangePasswordInput>,
    meta: RequestMeta,
  ): Promise<void>;
  /** Deletes sign-in credentials past their expiry at `at` (default now): sessions and reset/verify tokens. */
  sweepExpired(at?: number): AuthSweepCounts;
}

/** What one sweep of expired sign-in credentials deleted. */
export type AuthSweepCounts = { sessions_deleted: number; email_tokens_deleted: number };

export type AuthDeps = {
  store: AuthStore;
  log: Logger;
  sessionDays: number;
  now?: () => number;
  limits?: AuthLimits;
  mail?: RegistrationMail;
  /** The reset/verify tokens' table, so the one sweep of expired credentials deletes them too. */
  emailTokens?: Pick<EmailTokenStore, "deleteExpired">;
  /** After a new account is stored (the referral programme attaches `ref`); a throw is logged, not fatal. */
  onRegistered?: (userId: number, input: z.output<typeof RegisterInput>) => void;
};

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export function createAuth({
  store,
  log,
  sessionDays,
  now = Date.now,
  limits = DEFAULT_AUTH_LIMITS,
  mail,
  emailTokens,
  onRegistered,
}: AuthDeps): Auth {
  const ipLimit = createAttemptLimiter(limits.perIp, now);
  const accountLimit = createAttemptLimiter(limits.perAccount, now);
  // An unknown e-mail still pays one verify against this, so it takes as long as a wrong password.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => {
    dummy ??= Bun.password.hash(randomBytes(16).toString("hex"), PASSWORD_HASH);
    return dummy;
  };

  const refuse = (retry: number) => new AppError("too_many_attempts", 429, { retry_after: retry });
  /** Refuses while the IP or the account (an e-mail or "user:<id>") used up its failures in the window. */
  const checkLimits = (ip: string, account: string | null) => {
    const retry = Math.max(ipLimit.blocked(ip) ?? 0, account ? (accountLimit.blocked(account) ?? 0) : 0);
    if (retry > 0) throw refuse(retry);
  };
  // Only failures count: a busy NAT of real users signing in is not an attack; guessing is.
  const failed = (ip: string, account: string) => {
    ipLimit.hit(ip);
    accountLimit.hit(account);
  };

  const grant = (user: AuthUser, meta: RequestMeta): SessionGrant => {
    const token = randomBytes(32).toString("base64url");
    const t = now();
    const expiresAt = t + sessionDays * 86_400_000;
    store.insertSession({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: t,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    return { token, expiresAt, user };
  };

  return {
    async register(input, meta) {
      checkLimits(meta.ip, null);
      ipLimit.hit(meta.ip); // every registration counts per IP (account spam), not only failures
      // Hash first either way: a known e-mail must not answer faster.
      const hash = await Bun.password.hash(input.password, PASSWORD_HASH);
      const user = store.createUser(input.email, hash, now(), { lang: meta.lang });
      if (!user) {
        log.info("register_known_email", "", { ip: meta.ip });
        mail?.registeredKnown(input.email, meta);
        return null;
      }
      log.info("user_registered", "", { user_id: user.id, ref: input.ref ?? null });
      mail?.registered(user, meta);
      try {
        onRegistered?.(user.id, input);
      } catch (err) {
        log.error("register_hook_failed", String(err), { user_id: user.id, error: err });
      }
      // With required confirmation nobody is signed in here, so the answer is the same for every e-mail.
      return mail?.required ? null : grant(user, meta);
    },
    async login(input, meta) {
      checkLimits(meta.ip, input.email);
      const user = store.userByEmail(input.email);
      const ok = await Bun.password.verify(input.password, user?.passwordHash ?? (await dummyHash()));
      if (!user?.passwordHash || !ok || user.bannedAt !== null) {
        failed(meta.ip, input.email);
        log.info("login_failed", "", { ip: meta.ip, user_id: user?.id ?? null });
        throw new AppError("invalid_credentials", 401);
      }
      accountLimit.clear(input.email);
      if (mail?.required && user.emailVerifiedAt === null && !user.isAdmin) {
        mail.unverifiedLogin(user, meta);
        throw new AppError("email_not_verified", 403);
      }
      log.info("login", "", { user_id: user.id, ip: meta.ip });
      return grant(user, meta);
    },
    logout: (token) => store.deleteSession(hashToken(token)),
    resolve(token) {
      const t = now();
      const found = store.sessionUser(hashToken(token), t);
      if (!found || found.user.bannedAt !== null) return undefined;
      store.touchSession(found.sessionId, t);
      return found;
    },
    async changePassword(session, input, meta) {
      const key = `user:${session.user.id}`;
      checkLimits(meta.ip, key);
      const user = store.userById(session.user.id);
      const ok =
        !!user?.passwordHash && (await Bun.password.verify(input.current_password, user.passwordHash));
      if (!ok) {
        failed(meta.ip, key);
        throw new AppError("invalid_credentials", 401);
      }
      store.setPasswordHash(session.user.id, await Bun.password.hash(input.new_password, PASSWORD_HASH));
      const ended = store.deleteUserSessions(session.user.id, session.sessionId);
      log.info("password_changed", "", { user_id: session.user.id, sessions_ended: ended });
    },
    sweepExpired: (at = now()) => ({
      sessions_deleted: store.deleteExpiredSessions(at),
      email_tokens_deleted: emailTokens?.deleteExpired(at) ?? 0,
    }),
  };
}
