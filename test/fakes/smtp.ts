// A real SMTP server on loopback (the `smtp-server` package) that keeps every message it receives, parsed
// by `mailparser`: tests read the mails the service really sent over the wire. STARTTLS is off (nodemailer
// would otherwise upgrade against a self-signed certificate); AUTH is optional but checked when sent.
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitFor } from "../fixtures/wait";

export type ReceivedMail = {
  /** The envelope recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  /** The first http(s) link in the text. */
  link: string | undefined;
  parsed: ParsedMail;
};

export type SmtpFake = {
  /** smtp://… URL for MM_SMTP_URL (with credentials when `auth` was given). */
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Mails to `to` (lower-cased compare). */
  to(address: string): ReceivedMail[];
  /** Waits until `n` mails to `address` arrived and returns the newest. */
  waitFor(address: string, n?: number): Promise<ReceivedMail>;
  /** Makes every later message fail with a 451 (a server refusing mail). */
  refuse(on: boolean): void;
  close(): Promise<void>;
};

export async function startSmtp(o: { auth?: { user: string; pass: string } } = {}): Promise<SmtpFake> {
  const mails: ReceivedMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: !o.auth,
    logger: false,
    onAuth(auth, _session, cb) {
      if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass)
        return cb(null, { user: auth.username });
      cb(new Error("invalid credentials"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (refusing) {
          const err = Object.assign(new Error("try later"), { responseCode: 451 });
          return cb(err);
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        const text = parsed.text ?? "";
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          subject: parsed.subject ?? "",
          text,
          link: /https?:\/\/\S+/.exec(text)?.[0],
          parsed,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const creds = o.auth ? `${encodeURIComponent(o.auth.user)}:${encodeURIComponent(o.auth.pass)}@` : "";
  const to = (address: string) => mails.filter((m) => m.to.includes(address.toLowerCase()));
  return {
    url: `smtp://${creds}127.0.0.1:${port}`,
    port,
    mails,
    to,
    async waitFor(address, n = 1) {
      const got = await waitFor(() => to(address).length >= n && to(address), {
        what: `${n} mail(s) to ${address}`,
        detail: () => mails.map((m) => `${m.to.join(",")}: ${m.subject}`),
      });
      return got[got.length - 1] as ReceivedMail;
    },
    refuse: (on) => {
      refusing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
