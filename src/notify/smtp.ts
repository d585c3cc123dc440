// The Mailer over SMTP (MM_SMTP_URL, e.g. smtps://user:pass@mail.example:465 or smtp://host:587 with
// STARTTLS), through nodemailer. One transport for the process; nodemailer opens a connection per
// message, which is plenty for sign-in mail. Timeouts are short so a dead server fails a send in seconds
// (callers never wait for it: the e-mail flows send in the background and log `mail_failed`).

import nodemailer from "nodemailer";
import type { Logger } from "../log";
import { createLogMailer, type Mailer } from "./mail";

export type SmtpMailer = Mailer & {
  /** Checks the connection and credentials once (start-up log line), never throws. */
  check(): Promise<boolean>;
  close(): void;
};

export type SmtpOptions = { url: string; from: string; log: Logger };

export function createSmtpMailer({ url, from, log }: SmtpOptions): SmtpMailer {
  // Options from the URL win over these (e.g. ?connectionTimeout=…, ?tls.rejectUnauthorized=false).
  const transport = nodemailer.createTransport(
    { url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 },
    { from },
  );
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return "?";
    }
  })();
  return {
    delivers: true,
    async send(msg) {
      const t0 = performance.now();
      const info = await transport.sendMail({
        from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html ? { html: msg.html } : {}),
      });
      log.info("mail_sent", "", {
        kind: msg.kind,
        user_id: msg.userId,
        message_id: info.messageId,
        ms: Math.round(performance.now() - t0),
      });
    },
    async check() {
      try {
        await transport.verify();
        log.info("smtp_ready", `SMTP server ${host} accepts mail`, { host });
        return true;
      } catch (err) {
        log.warn("smtp_unreachable", `SMTP server ${host}: ${String(err)}`, { host, err });
        return false;
      }
    },
    close: () => transport.close(),
  };
}

/** The service's mailer: SMTP when MM_SMTP_URL is set, else the log-only fallback. */
export function mailerFor(
  config: { MM_SMTP_URL: string; MM_MAIL_FROM: string },
  log: Logger,
): Mailer & { check(): Promise<boolean>; close(): void } {
  if (config.MM_SMTP_URL)
    return createSmtpMailer({ url: config.MM_SMTP_URL, from: config.MM_MAIL_FROM, log });
  return { ...createLogMailer(log), check: async () => false, close: () => {} };
}

/**
 * The mailer for a live config (src/settings/runtime.ts): the SMTP server and the sender are runtime
 * settings, so every message uses the values of the moment. A changed URL or sender builds a new transport;
 * the old ones close with the service (a mail still in flight on one keeps going).
 */
export function liveMailer(
  config: { readonly MM_SMTP_URL: string; readonly MM_MAIL_FROM: string },
  log: Logger,
): Mailer & { check(): Promise<boolean>; close(): void } {
  type Built = ReturnType<typeof mailerFor>;
  let built: { url: string; from: string; mailer: Built } | null = null;
  const retired: Built[] = [];
  const current = (): Built => {
    const url = config.MM_SMTP_URL;
    const from = config.MM_MAIL_FROM;
    if (built?.url === url && built.from === from) return built.mailer;
    if (built) retired.push(built.mailer);
    built = { url, from, mailer: mailerFor({ MM_SMTP_URL: url, MM_MAIL_FROM: from }, log) };
    return built.mailer;
  };
  return {
    get delivers() {
      return current().delivers;
    },
    send: (msg) => current().send(msg),
    check: () => current().check(),
    close() {
      for (const m of retired.splice(0)) m.close();
      built?.mailer.close();
    },
  };
}
