// The compiled binary with MM_ADMIN_EMAIL and MM_SMTP_URL (a real SMTP server on loopback in this test):
// the first start creates the admin and prints its one-time password once; a restart prints nothing and
// the password still works (never reset); nodemailer inside `bun build --compile` really delivers the
// verification mail, and its link confirms the account over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { type SmtpFake, startSmtp } from "../fakes/smtp";
import { waitFor } from "../fixtures/wait";
import { ensureBinary, type Served, serveBinary, tempDir } from "./lib";

const ADMIN = "root@example.com";
let smtp: SmtpFake;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBinary();
  smtp = await startSmtp({ auth: { user: "mailer", pass: "mailer-secret" } });
  dataDir = tempDir("mm-e2e-admin-mail-");
  env = {
    MM_DATA_DIR: dataDir,
    MM_ADMIN_EMAIL: ADMIN,
    MM_SMTP_URL: smtp.url,
    MM_MAIL_FROM: "Magic Master <noreply@e2e.test>",
    MM_RATE_LIMIT_PER_MIN: "0",
  };
});
afterAll(async () => {
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (s: Served, path: string, body: unknown) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const created = (s: Served) => s.lines().filter((l) => l.event === "admin_created");

describe("the binary: first admin and SMTP", () => {
  let secret = "";

  it("first start: one admin_created line with a random password that signs an admin in; SMTP is checked", async () => {
    const s = await serveBinary(env);
    try {
      await waitFor(() => s.lines().some((l) => l.event === "smtp_ready"), { what: "smtp_ready in the log" });
      expect(created(s)).toHaveLength(1);
      secret = String(created(s)[0]?.initial_credential);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{24}$/);
      // The SMTP password in MM_SMTP_URL never reaches the log.
      expect(JSON.stringify(s.lines())).not.toContain("mailer-secret");
      const login = await post(s, "/api/auth/login", { email: ADMIN, password: secret });
      expect(login.status).toBe(200);
      const { token, user } = (await login.json()) as { token: string; user: { is_admin: boolean } };
      expect(user.is_admin).toBe(true);
      const stats = await fetch(`${s.url}/api/admin/stats`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(stats.status).toBe(200);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
  });

  it("registration mails a confirmation link through nodemailer in the binary; the link confirms", async () => {
    const s = await serveBinary(env);
    try {
      const email = "listener@example.com";
      const reg = await post(s, "/api/auth/register", { email, password: "listener-password" });
      expect(reg.status).toBe(202);
      const mail = await smtp.waitFor(email);
      expect(mail.from).toBe("noreply@e2e.test");
      expect(mail.link).toStartWith(`${s.url}/api/auth/verify-email?token=`);
      expect((await post(s, "/api/auth/login", { email, password: "listener-password" })).status).toBe(403);
      expect((await fetch(mail.link ?? "")).status).toBe(200);
      expect((await post(s, "/api/auth/login", { email, password: "listener-password" })).status).toBe(200);
      // The welcome mail too, then a clean stop.
      await smtp.waitFor(email, 3);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
  });

  it("a restart prints no password and resets nothing: the first one still signs in", async () => {
    expect(secret).not.toBe("");
    const s = await serveBinary(env);
    try {
      expect(s.lines().some((l) => l.event === "admin_present")).toBe(true);
      expect(created(s)).toEqual([]);
      expect(JSON.stringify(s.lines())).not.toContain(secret);
      expect((await post(s, "/api/auth/login", { email: ADMIN, password: secret })).status).toBe(200);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
  });
});
