// The e-mail flows over real HTTP on loopback, with mail really sent by the SMTP mailer (nodemailer) to a
// real SMTP server on loopback (test/fakes/smtp.ts) and read back from what it received: verification on
// register, welcome, forgot/reset, wrong, expired and reused tokens, no enumeration, the user's language,
// a reset ending every session. An injected clock ages tokens.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { createLogger } from "../../../src/log";
import { createSmtpMailer } from "../../../src/notify";
import { type SmtpFake, startSmtp } from "../../fakes/smtp";
import { type Harness, startApi } from "./harness";

let clock = Date.UTC(2026, 0, 1);
let h: Harness;
let smtp: SmtpFake;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  smtp = await startSmtp({ auth: { user: "mm", pass: "smtp-secret" } });
  const log = createLogger("info", (line) => logLines.push(JSON.parse(line)));
  h = await startApi(
    {},
    {
      start: false,
      web: true,
      now: () => clock,
      mailLog: log,
      mailer: createSmtpMailer({ url: smtp.url, from: "Magic Master <noreply@mm.test>", log }),
    },
  );
});
afterAll(async () => {
  await h.stop();
  await smtp.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const me = (token: string) =>
  fetch(`${h.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
const login = (email: string, password: string) => post("/api/auth/login", { email, password });
const tokenOf = (link: string | undefined) => /token=([A-Za-z0-9_-]+)/.exec(link ?? "")?.[1] ?? "";
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

/** Registers and confirms an account; returns its session token. */
async function verifiedAccount(email: string, password: string, lang = "en"): Promise<string> {
  const before = smtp.to(email).length;
  expect((await post("/api/auth/register", { email, password }, { "accept-language": lang })).status).toBe(
    202,
  );
  const mail = await smtp.waitFor(email, before + 1);
  expect((await fetch(mail.link ?? "")).status).toBe(200);
  await smtp.waitFor(email, before + 2); // the welcome mail, so later mails count from here
  const res = await login(email, password);
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("registration with SMTP", () => {
  test("no session at register; the mail's link confirms the address; welcome follows; login works after it", async () => {
    const email = "vera@example.com";
    const res = await post(
      "/api/auth/register",
      { email, password: "vera-password" },
      { "accept-language": "ru" },
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { message: string }).message).toStartWith("Проверьте почту");

    const mail = await smtp.waitFor(email);
    expect(mail.from).toBe("noreply@mm.test");
    expect(mail.subject).toBe("Magic Master: подтвердите e-mail");
    expect(mail.text).toContain("24 ч");
    expect(mail.link).toStartWith(`${h.url}/api/auth/verify-email?token=`);

    // Before confirming: the right password is refused with its own code, and the link is sent again.
    const early = await login(email, "vera-password");
    expect(early.status).toBe(403);
    expect((await errorOf(early)).code).toBe("email_not_verified");
    const again = await smtp.waitFor(email, 2);
    expect(tokenOf(again.link)).not.toBe(tokenOf(mail.link));

    const ok = await fetch(mail.link ?? "", { headers: { "accept-language": "ru" } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, message: "E-mail подтверждён." });
    const welcome = await smtp.waitFor(email, 3);
    expect(welcome.subject).toBe("Добро пожаловать в Magic Master");

    const signed = await login(email, "vera-password");
    expect(signed.status).toBe(200);
    const { user } = (await signed.json()) as { user: { email_verified: boolean } };
    expect(user.email_verified).toBe(true);
  });

  test("a used, a voided, a wrong and an expired verification link are refused with token_invalid", async () => {
    const email = "walt@example.com";
    await post("/api/auth/register", { email, password: "walt-password" });
    const first = await smtp.waitFor(email);
    expect((await login(email, "walt-password")).status).toBe(403); // sends a second link
    const second = await smtp.waitFor(email, 2);
    expect((await fetch(second.link ?? "")).status).toBe(200);

    for (const link of [second.link, first.link, `${h.url}/api/auth/verify-email?token=${"A".repeat(43)}`]) {
      const res = await fetch(link ?? "");
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("token_invalid");
    }

    const late = "late@example.com";
    await post("/api/auth/register", { email: late, password: "late-password" });
    const lateMail = await smtp.waitFor(late);
    clock += 24 * 3_600_000 + 1;
    const expired = await fetch(lateMail.link ?? "", { headers: { "accept-language": "ru" } });
    expect(expired.status).toBe(400);
    const err = await errorOf(expired);
    expect(err.code).toBe("token_invalid");
    expect(err.message).toStartWith("Ссылка недействительна");
  });

  test("a known e-mail gets the same status, body and no cookie; its owner is told by mail", async () => {
    const email = "known@example.com";
    const fresh = await post("/api/auth/register", { email, password: "known-password" });
    const known = await post("/api/auth/register", { email, password: "other-password" });
    expect(known.status).toBe(fresh.status);
    expect(await known.json()).toEqual(await fresh.json());
    expect(known.headers.get("set-cookie")).toBeNull();
    const told = await smtp.waitFor(email, 2);
    expect(smtp.to(email).map((m) => m.subject)).toContain(
      "Magic Master: someone tried to sign up with your address",
    );
    expect(told.text).not.toContain("other-password");
  });
});

describe("forgot and reset", () => {
  test("known and unknown e-mails answer the same status and body; only the known one gets a mail", async () => {
    const email = "rita@example.com";
    await verifiedAccount(email, "rita-password");
    const before = smtp.mails.length;
    const known = await post("/api/auth/forgot-password", { email: "Rita@Example.com" });
    const unknown = await post("/api/auth/forgot-password", { email: "nobody-here@example.com" });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual(await known.json());
    await h.mail.idle();
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.to("nobody-here@example.com")).toEqual([]);
    const mail = await smtp.waitFor(email, 3); // verify + welcome + reset
    expect(mail.subject).toBe("Magic Master: reset your password");
    expect(mail.link).toStartWith(`${h.url}/reset-password.html#token=`);
  });

  test("the reset link's page is served; the reset ends every session; old password out, new in; the link works once", async () => {
    const email = "sam@example.com";
    const s1 = await verifiedAccount(email, "sam-password");
    const s2 = ((await (await login(email, "sam-password")).json()) as { token: string }).token;
    await post("/api/auth/forgot-password", { email });
    const mail = await smtp.waitFor(email, 3);
    const page = await fetch((mail.link ?? "").split("#")[0] ?? "");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/reset-password.js");

    const token = tokenOf(mail.link);
    const done = await post("/api/auth/reset-password", { token, new_password: "sam-new-password" });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { ok: boolean }).ok).toBe(true);
    expect((await me(s1)).status).toBe(401);
    expect((await me(s2)).status).toBe(401);
    expect((await login(email, "sam-password")).status).toBe(401);
    expect((await login(email, "sam-new-password")).status).toBe(200);

    const reused = await post("/api/auth/reset-password", { token, new_password: "attacker-password" });
    expect(reused.status).toBe(400);
    expect((await errorOf(reused)).code).toBe("token_invalid");
    expect((await login(email, "sam-new-password")).status).toBe(200);
  });

  test("a reset voids the account's other reset links; a wrong and an expired token change nothing", async () => {
    const email = "tom@example.com";
    await verifiedAccount(email, "tom-password");
    await post("/api/auth/forgot-password", { email });
    const a = await smtp.waitFor(email, 3);
    await post("/api/auth/forgot-password", { email });
    const b = await smtp.waitFor(email, 4);
    expect(
      (await post("/api/auth/reset-password", { token: tokenOf(b.link), new_password: "tom-pass-2" })).status,
    ).toBe(200);
    const voided = await post("/api/auth/reset-password", {
      token: tokenOf(a.link),
      new_password: "tom-pass-3",
    });
    expect(voided.status).toBe(400);

    const wrong = await post("/api/auth/reset-password", {
      token: "x".repeat(43),
      new_password: "tom-pass-4",
    });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).code).toBe("token_invalid");

    await post("/api/auth/forgot-password", { email });
    const c = await smtp.waitFor(email, 5);
    clock += 3_600_000 + 1;
    const expired = await post("/api/auth/reset-password", {
      token: tokenOf(c.link),
      new_password: "tom-pass-5",
    });
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).code).toBe("token_invalid");
    expect((await login(email, "tom-pass-2")).status).toBe(200);
  });

  test("the mail is in the account's language, whatever the requester's", async () => {
    const email = "olga@example.com";
    await verifiedAccount(email, "olga-password", "ru");
    await post("/api/auth/forgot-password", { email }, { "accept-language": "en" });
    const mail = await smtp.waitFor(email, 3);
    expect(mail.subject).toBe("Magic Master: сброс пароля");
    expect(mail.text).toContain("60 мин");
  });

  test("a short new password is a 400 in the caller's language and spends no token", async () => {
    const email = "ivan@example.com";
    await verifiedAccount(email, "ivan-password");
    await post("/api/auth/forgot-password", { email });
    const mail = await smtp.waitFor(email, 3);
    const short = await post(
      "/api/auth/reset-password",
      { token: tokenOf(mail.link), new_password: "short" },
      { "accept-language": "ru" },
    );
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toStartWith("Некорректный запрос");
    expect(
      (await post("/api/auth/reset-password", { token: tokenOf(mail.link), new_password: "ivan-new-pass" }))
        .status,
    ).toBe(200);
  });

  test("an SMTP server refusing mail changes neither the answer nor the body; the failure is logged", async () => {
    const email = "zoe@example.com";
    await verifiedAccount(email, "zoe-password");
    const ok = await post("/api/auth/forgot-password", { email: "nobody-2@example.com" });
    smtp.refuse(true);
    try {
      const refused = await post("/api/auth/forgot-password", { email });
      expect(refused.status).toBe(ok.status);
      expect(await refused.json()).toEqual(await ok.json());
      await h.mail.idle();
    } finally {
      smtp.refuse(false);
    }
    expect(logLines.some((l) => l.event === "mail_failed" && l.kind === "reset")).toBe(true);
    expect(smtp.to(email).map((m) => m.subject)).not.toContain("Magic Master: reset your password");
  });
});

describe("limits on mail", () => {
  test("past 5 reset mails an hour the account gets no more, with the same answer", async () => {
    const email = "many@example.com";
    await verifiedAccount(email, "many-password");
    const answers: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await post("/api/auth/forgot-password", { email });
      expect(res.status).toBe(202);
      answers.push(await res.json());
    }
    await h.mail.idle();
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(smtp.to(email).filter((m) => m.subject === "Magic Master: reset your password")).toHaveLength(5);
    expect(logLines.some((l) => l.event === "mail_throttled" && l.kind === "reset")).toBe(true);
  });
});

describe("without SMTP", () => {
  let plain: Harness;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const log = createLogger("info", (line) => logged.push(JSON.parse(line)));
    plain = await startApi({}, { start: false, mailLog: log });
  });
  afterAll(() => plain.stop());
  const postPlain = (path: string, body: unknown) =>
    fetch(`${plain.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const loggedLink = (kind: string) =>
    /https?:\/\/\S+/.exec(
      String(logged.filter((l) => l.event === "mail_logged" && l.kind === kind).at(-1)?.text),
    )?.[0];

  test("register signs in at once (no confirmation required); the links are in the log, stored only hashed, and work", async () => {
    const email = "offline@example.com";
    const reg = await postPlain("/api/auth/register", { email, password: "offline-password" });
    expect(reg.status).toBe(202);
    expect(reg.headers.get("set-cookie")).toContain("mm_session=");
    expect((await postPlain("/api/auth/login", { email, password: "offline-password" })).status).toBe(200);
    await plain.mail.idle(); // the mails are written after the answer
    expect(logged.some((l) => l.event === "mail_logged" && l.kind === "welcome")).toBe(true);

    const verify = loggedLink("verify");
    expect(verify).toStartWith(`${plain.url}/api/auth/verify-email?token=`);
    expect((await postPlain("/api/auth/forgot-password", { email })).status).toBe(202);
    await plain.mail.idle();
    const reset = loggedLink("reset");
    const raw = [tokenOf(verify), tokenOf(reset)];
    const db = new Database(plain.layout.db, { readonly: true });
    try {
      const stored = db.query<{ token_hash: string }, []>("SELECT token_hash FROM email_tokens").all();
      const hashes = stored.map((r) => r.token_hash);
      for (const t of raw) {
        expect(hashes).not.toContain(t);
        expect(hashes).toContain(createHash("sha256").update(t).digest("hex"));
      }
    } finally {
      db.close();
    }

    expect((await fetch(verify ?? "")).status).toBe(200);
    const done = await postPlain("/api/auth/reset-password", {
      token: tokenOf(reset),
      new_password: "offline-new-pw",
    });
    expect(done.status).toBe(200);
    expect((await postPlain("/api/auth/login", { email, password: "offline-new-pw" })).status).toBe(200);
  });
});
