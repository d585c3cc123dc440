// The e-mail flows of sign-in: verification (24 h), password reset (1 h), welcome, and the mail to the
// owner of an address someone tried to register again. Tokens are 32 random bytes; only their SHA-256 is
// stored and consuming one is a single UPDATE, so a link works once.
//
// No enumeration: `forgot` and the registration mails run after the answer (`later`): the account is not
// even looked up before the request is answered, so a known and an unknown address cost the request the
// same (bench/mail-timing.ts measures it). Delivery failures are logged.
// Without SMTP (`mailer.delivers` false) the mails go to the log (links included) and confirming the
// address is optional; with SMTP an account signs in only after confirming it (see README).

import { randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import { t } from "../i18n";
import type { Logger } from "../log";
import type { Mailer } from "../notify";
import { type AttemptRule, createAttemptLimiter } from "./attempts";
import {
  EmailSchema,
  hashToken,
  PASSWORD_HASH,
  PasswordSchema,
  type RegistrationMail,
  type RequestMeta,
} from "./auth";
import type { AuthStore, AuthUser } from "./auth-store";
import type { EmailTokenKind, EmailTokenStore } from "./email-tokens-store";

export const VERIFY_TTL_MS = 24 * 3_600_000;
export const RESET_TTL_MS = 3_600_000;

export const ForgotInput = z.object({ email: EmailSchema });
export const ResetInput = z.object({ token: z.string().min(1).max(200), new_password: PasswordSchema });
export const VerifyQuery = z.object({ token: z.string().min(1).max(200) });

export interface EmailFlows extends RegistrationMail {
  /**
   * Sends a reset link when the address has an account; the same (immediate) return either way.
   * Throws too_many_attempts (429) past `forgotPerIp` requests from one address.
   */
  forgot(email: string, meta: RequestMeta): void;
  /** Sets the new password, ends every session and voids other reset links. Throws token_invalid (400). */
  reset(token: string, newPassword: string): Promise<void>;
  /** Confirms the address (and sends the welcome mail when confirming is required). Throws token_invalid. */
  verify(token: string, meta: RequestMeta): void;
  /** Resolves when every mail started so far was sent or failed (shutdown, tests). */
  idle(): Promise<void>;
}

export type EmailFlowsDeps = {
  users: AuthStore;
  tokens: EmailTokenStore;
  mailer: Mailer;
  log: Logger;
  /** MM_PUBLIC_URL; when empty, links use the address the request came to. */
  publicUrl: string;
  now?: () => number;
  /** Most mails of one kind an account gets in an hour (later requests answer the same, no mail). */
  mailsPerHour?: number;
  /** Reset requests one address may make in a window (known and unknown e-mails alike). */
  forgotPerIp?: AttemptRule;
};

export function createEmailFlows({
  users,
  tokens,
  mailer,
  log,
  publicUrl,
  now = Date.now,
  mailsPerHour = 5,
  forgotPerIp = { max: 20, windowMs: 10 * 60_000 },
}: EmailFlowsDeps): EmailFlows {
  const inFlight = new Set<Promise<void>>();
  const base = (meta: RequestMeta) => (publicUrl || meta.baseUrl || "").replace(/\/+$/, "");

  /**
   * Runs `fn` after the current request has been answered, tracked by idle(). A 1 ms timer, not
   * setImmediate: with an immediate the known e-mail's work still showed in its answer time (measured).
   */
  const later = (what: string, fn: () => void) => {
    const p = new Promise<void>((resolve) => setTimeout(resolve, 1))
      .then(fn)
      .catch((err) => log.error("mail_flow_failed", String(err), { step: what, err }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  /** Starts sending without awaiting it; the caller's answer never depends on SMTP. */
  const dispatch = (user: AuthUser, kind: string, key: string, params: Record<string, string | number>) => {
    if (!user.email) return;
    const p = mailer
      .send({
        to: user.email,
        subject: t(user.lang, `mail_${key}_subject`),
        text: t(user.lang, `mail_${key}_text`, params),
        kind,
        userId: user.id,
      })
      .catch((err) => log.error("mail_failed", String(err), { kind, user_id: user.id, err }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  // In memory like the sign-in limits: a restart only grants one more hour of mails.
  const perAccount = createAttemptLimiter({ max: mailsPerHour, windowMs: 3_600_000 }, now);
  const perIp = createAttemptLimiter(forgotPerIp, now);
  const allow = (userId: number, kind: string): boolean => {
    const key = `${kind}:${userId}`;
    if (perAccount.blocked(key) !== null) {
      log.warn("mail_throttled", "", { kind, user_id: userId });
      return false;
    }
    perAccount.hit(key);
    return true;
  };

  /** A fresh token for the user, or null when the account already got `mailsPerHour` of this kind. */
  const issue = (userId: number, kind: EmailTokenKind, ttlMs: number): string | null => {
    if (!allow(userId, kind)) return null;
    const at = now();
    const token = randomBytes(32).toString("base64url");
    tokens.insert({ userId, kind, tokenHash: hashToken(token), now: at, expiresAt: at + ttlMs });
    return token;
  };

  const sendVerification = (user: AuthUser, meta: RequestMeta) => {
    const token = issue(user.id, "verify", VERIFY_TTL_MS);
    if (!token) return;
    const link = `${base(meta)}/api/auth/verify-email?token=${token}`;
    dispatch(user, "verify", "verify", { link, hours: VERIFY_TTL_MS / 3_600_000 });
  };

  const consume = (token: string, kind: EmailTokenKind): AuthUser => {
    const userId = tokens.consume(hashToken(token), kind, now());
    const user = userId === undefined ? undefined : users.userById(userId);
    if (!user || user.bannedAt !== null) {
      log.info("email_token_refused", "", { kind });
      throw new AppError("token_invalid", 400);
    }
    return user;
  };

  return {
    get required() {
      return mailer.delivers;
    },
    registered(user, meta) {
      later("registered", () => {
        sendVerification(user, meta);
        // Without required confirmation the account is ready now; otherwise welcome follows verify().
        if (!mailer.delivers) dispatch(user, "welcome", "welcome", { link: `${base(meta)}/` });
      });
    },
    registeredKnown(email, meta) {
      later("registered_known", () => {
        const user = users.userByEmail(email);
        // Only with real delivery: the log fallback would just repeat it to the operator.
        if (!user || !mailer.delivers) return;
        if (!allow(user.id, "register_known")) return;
        dispatch(user, "register_known", "register_known", { link: `${base(meta)}/reset-password.html` });
      });
    },
    unverifiedLogin: (user, meta) => later("unverified_login", () => sendVerification(user, meta)),
    forgot(email, meta) {
      // Every request counts per IP, known address or not (the same 429 for both).
      const retry = perIp.blocked(meta.ip);
      if (retry !== null) throw new AppError("too_many_attempts", 429, { retry_after: retry });
      perIp.hit(meta.ip);
      later("forgot", () => {
        const user = users.userByEmail(email);
        if (!user || user.bannedAt !== null) {
          log.info("password_reset_unknown", "", { ip: meta.ip });
          return;
        }
        const token = issue(user.id, "reset", RESET_TTL_MS);
        if (!token) return;
        log.info("password_reset_requested", "", { user_id: user.id, ip: meta.ip });
        // The token rides in the fragment: browsers send neither it nor a Referer with it to any server.
        const link = `${base(meta)}/reset-password.html#token=${token}`;
        dispatch(user, "reset", "reset", { link, minutes: RESET_TTL_MS / 60_000 });
      });
    },
    async reset(token, newPassword) {
      const user = consume(token, "reset");
      users.setPasswordHash(user.id, await Bun.password.hash(newPassword, PASSWORD_HASH));
      const ended = users.deleteUserSessions(user.id, null);
      tokens.deleteUnused(user.id, "reset");
      // The link arrived in the mailbox, which is what verification proves.
      users.markEmailVerified(user.id, now());
      log.info("password_reset", "", { user_id: user.id, sessions_ended: ended });
    },
    verify(token, meta) {
      const user = consume(token, "verify");
      const first = user.emailVerifiedAt === null;
      users.markEmailVerified(user.id, now());
      tokens.deleteUnused(user.id, "verify");
      log.info("email_verified", "", { user_id: user.id });
      if (first && mailer.delivers) dispatch(user, "welcome", "welcome", { link: `${base(meta)}/` });
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
