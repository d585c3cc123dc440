// The password reset as a person does it: the mail arrives at a real SMTP server, its link opens
// /reset-password.html#token=… in Chromium under the real Content-Security-Policy, the new password is
// typed and saved, the page says so in the browser's language, and the new password signs in.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser } from "playwright-core";
import { silentLogger } from "../../src/log";
import { createSmtpMailer } from "../../src/notify";
import { type SmtpFake, startSmtp } from "../fakes/smtp";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { type Harness, startApi } from "../integration/api/harness";

const noBrowser = browserMissing("the reset page browser test");

let browser: Browser | null = null;
let h: Harness;
let smtp: SmtpFake;

beforeAll(async () => {
  smtp = await startSmtp();
  h = await startApi(
    {},
    {
      start: false,
      web: true,
      mailer: createSmtpMailer({ url: smtp.url, from: "noreply@mm.test", log: silentLogger }),
    },
  );
  if (noBrowser) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await smtp?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the reset page", () => {
  it.skipIf(noBrowser)(
    "the mailed link resets the password in the browser, in Russian, without CSP violations",
    async () => {
      const email = "page@example.com";
      await post("/api/auth/register", { email, password: "page-password" });
      const verify = await smtp.waitFor(email);
      expect((await fetch(verify.link ?? "")).status).toBe(200);
      await smtp.waitFor(email, 2); // welcome
      expect((await post("/api/auth/forgot-password", { email })).status).toBe(202);
      const mail = await smtp.waitFor(email, 3);
      expect(mail.link).toContain("/reset-password.html#token=");

      if (!browser) throw new Error("no browser");
      const page = await browser.newPage({ locale: "ru-RU" });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      try {
        await page.goto(mail.link ?? "");
        await page.waitForFunction(() => {
          const el = (
            globalThis as { document?: { querySelector(s: string): { textContent: string } | null } }
          ).document?.querySelector("button[type=submit]");
          return Boolean(el?.textContent);
        });
        expect(await page.textContent("button[type=submit]")).toBe("Сохранить пароль");
        await page.fill("#new-password", "page-new-password");
        await page.click("button[type=submit]");
        await page.waitForFunction(() => {
          const el = (
            globalThis as { document?: { querySelector(s: string): { textContent: string } | null } }
          ).document?.querySelector("#reset-result");
          return Boolean(el?.textContent);
        });
        expect(await page.textContent("#reset-result")).toBe(
          "Пароль изменён, все входы в аккаунт завершены. Войдите с новым паролем.",
        );
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
      expect((await post("/api/auth/login", { email, password: "page-password" })).status).toBe(401);
      expect((await post("/api/auth/login", { email, password: "page-new-password" })).status).toBe(200);
    },
  );
});
