// The password reset as a person does it, in Chromium under the real Content-Security-Policy: the page
// asks for the e-mail, the mail arrives at a real SMTP server, its link opens /reset-password.html#token=…,
// the new password is typed and saved, the page says so in the browser's language, and it signs in.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser } from "playwright-core";
import { silentLogger } from "../../src/log";
import { createSmtpMailer } from "../../src/notify";
import { type SmtpFake, startSmtp } from "../fakes/smtp";
import { browserMissing, launchBrowser } from "../fixtures/browser";
import { type PageWatch, watchPage } from "../fixtures/web-page";
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

// Runs in the page with its argument (the test program is compiled without the DOM library).
type Doc = { document?: { querySelector(s: string): { textContent: string | null } | null } };
const resultStarts = (prefix: string) =>
  (globalThis as Doc).document?.querySelector("#reset-result")?.textContent?.startsWith(prefix) ?? false;

describe("the reset page", () => {
  it.skipIf(noBrowser)(
    "forgot → mail → link → new password, in the browser, in Russian, without CSP violations",
    async () => {
      const email = "page@example.com";
      await post("/api/auth/register", { email, password: "page-password" });
      const verify = await smtp.waitFor(email);
      expect((await fetch(verify.link ?? "")).status).toBe(200);
      await smtp.waitFor(email, 2); // welcome

      const problems: string[] = [];
      const watches: PageWatch[] = [];
      const watched = async () => {
        if (!browser) throw new Error("no browser");
        const p = await browser.newPage({ locale: "ru-RU" });
        // Console errors and page errors (a guest's 401 from /api/auth/me is expected), CSP reports.
        watches.push(watchPage(p));
        p.on("console", (m) => {
          if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
        });
        return p;
      };
      let page = await watched();
      try {
        // Step 1, no token: the page asks for the e-mail and requests the link.
        await page.goto(`${h.url}/reset-password.html`);
        await page.waitForSelector("#forgot-form:not([hidden])");
        expect(await page.isHidden("#reset-form")).toBe(true);
        expect(await page.textContent("#forgot-form button[type=submit]")).toBe("Прислать ссылку для сброса");
        await page.fill("#forgot-email", email);
        await page.click("#forgot-form button[type=submit]");
        await page.waitForFunction(resultStarts, "Если аккаунт с этим e-mail существует");
        const mail = await smtp.waitFor(email, 3);
        expect(mail.link).toContain("/reset-password.html#token=");

        // Step 2, the mailed link, opened from the mail in a new tab: the page asks for the new password.
        await page.close();
        page = await watched();
        await page.goto(mail.link ?? "");
        await page.waitForSelector("#reset-form:not([hidden])");
        expect(await page.textContent("#reset-form button[type=submit]")).toBe("Сохранить пароль");
        await page.fill("#new-password", "page-new-password");
        await page.click("#reset-form button[type=submit]");
        await page.waitForFunction(resultStarts, "Пароль изменён");
        expect(await page.textContent("#reset-result")).toBe(
          "Пароль изменён, все входы в аккаунт завершены. Войдите с новым паролем.",
        );
        expect([...problems, ...watches.flatMap((w) => w.errors)]).toEqual([]);
      } finally {
        await page.close();
      }
      expect((await post("/api/auth/login", { email, password: "page-password" })).status).toBe(401);
      expect((await post("/api/auth/login", { email, password: "page-new-password" })).status).toBe(200);
    },
  );
});
