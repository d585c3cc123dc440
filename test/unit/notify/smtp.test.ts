// The SMTP mailer against a real SMTP server on loopback (test/fakes/smtp.ts): delivery with AUTH, From and
// the text as sent; wrong credentials and a closed port fail the send (the caller logs it) and the start-up
// check says so without the password; no MM_SMTP_URL → the log-only fallback.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createServer } from "node:net";
import { createLogger } from "../../../src/log";
import { createSmtpMailer, mailerFor } from "../../../src/notify";
import { type SmtpFake, startSmtp } from "../../fakes/smtp";

let smtp: SmtpFake;
beforeAll(async () => {
  smtp = await startSmtp({ auth: { user: "u1", pass: "right-pass" } });
});
afterAll(() => smtp.close());

const recorder = () => {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger("debug", (l) => lines.push(JSON.parse(l))) };
};

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  const port = typeof addr === "object" && addr ? addr.port : 1;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("createSmtpMailer", () => {
  it("delivers with AUTH: From, To, subject and UTF-8 text arrive as sent; mail_sent is logged", async () => {
    const { lines, log } = recorder();
    const m = createSmtpMailer({ url: smtp.url, from: "Magic Master <noreply@mm.test>", log });
    expect(m.delivers).toBe(true);
    expect(await m.check()).toBe(true);
    await m.send({
      to: "a@example.com",
      subject: "Привет",
      text: "Ссылка: https://x.test/a?b=1",
      kind: "t",
      userId: 7,
    });
    const got = await smtp.waitFor("a@example.com");
    expect(got.from).toBe("noreply@mm.test");
    expect(got.subject).toBe("Привет");
    expect(got.text.trim()).toBe("Ссылка: https://x.test/a?b=1");
    expect(lines.find((l) => l.event === "mail_sent")).toMatchObject({ kind: "t", user_id: 7 });
    m.close();
  });

  it("wrong credentials reject the send; the check logs smtp_unreachable without the password", async () => {
    const { lines, log } = recorder();
    const url = smtp.url.replace("right-pass", "wrong-pass");
    const m = createSmtpMailer({ url, from: "noreply@mm.test", log });
    await expect(m.send({ to: "b@example.com", subject: "s", text: "t", kind: "t" })).rejects.toThrow();
    expect(await m.check()).toBe(false);
    expect(lines.some((l) => l.event === "smtp_unreachable")).toBe(true);
    expect(JSON.stringify(lines)).not.toContain("wrong-pass");
    expect(smtp.to("b@example.com")).toEqual([]);
    m.close();
  });

  it("a closed port rejects the send", async () => {
    const { log } = recorder();
    const m = createSmtpMailer({
      url: `smtp://127.0.0.1:${await closedPort()}`,
      from: "noreply@mm.test",
      log,
    });
    await expect(m.send({ to: "c@example.com", subject: "s", text: "t", kind: "t" })).rejects.toThrow();
    m.close();
  });
});

describe("mailerFor", () => {
  it("without MM_SMTP_URL: the log fallback, which writes the whole text (links included)", async () => {
    const { lines, log } = recorder();
    const m = mailerFor({ MM_SMTP_URL: "", MM_MAIL_FROM: "x@y.z" }, log);
    expect(m.delivers).toBe(false);
    await m.send({ to: "d@example.com", subject: "s", text: "https://x.test/?token=abc", kind: "reset" });
    expect(lines.find((l) => l.event === "mail_logged")).toMatchObject({
      kind: "reset",
      text: "https://x.test/?token=abc",
    });
  });
});
