// Outgoing e-mail behind one interface, so accounts (verify, reset, welcome) and the scheduler
// (subscription warnings) never know whether SMTP is configured. The SMTP implementation (MM_SMTP_URL)
// lives beside this file; without it `createLogMailer` writes the message to the log, which is how an
// operator without SMTP still gets a reset link.

import type { Logger } from "../log";

/** One message. `kind` names it for logs and tests ("verify", "reset", "welcome", "tier_expiring" …). */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
  /** The user it concerns, for the log line (never the address itself at info level). */
  userId?: number;
};

export interface Mailer {
  /** True when mail really leaves the machine; false means messages are only logged. */
  readonly delivers: boolean;
  /** Sends or logs one message. Rejects only on a delivery failure the caller may want to report. */
  send(msg: MailMessage): Promise<void>;
}

/** The fallback without SMTP: the whole message (links included) goes to the log as `mail_logged`. */
export function createLogMailer(log: Logger): Mailer {
  return {
    delivers: false,
    async send(msg) {
      log.info("mail_logged", `mail "${msg.kind}" not sent (no MM_SMTP_URL); its text follows`, {
        kind: msg.kind,
        user_id: msg.userId,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
      });
    },
  };
}
