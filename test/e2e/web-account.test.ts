// The account pages as a person uses them, in Chromium under the real CSP, against the running service
// (startService: HTTP on loopback, SQLite in a temp dir, real ffmpeg, the bot polling the fake Bot API):
// sign up → signed in → sign out → a wrong password refused next to the button → sign in → the job they
// mastered shows in the history and downloads (measured) → the ledger → a saved preset → an API key shown
// once, working, then revoked → the Telegram code from the bot's /link links the accounts → RU texts and
// errors → sign out. And the e-mail confirmation link, opened in the browser, lands on /verify.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createSqliteLedger } from "../../src/billing";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { createSmtpMailer } from "../../src/notify";
import { type RunningService, startService } from "../../src/service";
import { type SmtpFake, startSmtp } from "../fakes/smtp";
import { FakeTelegram } from "../fakes/telegram";
import { cleanup, makeMusic, measure, tempDir } from "../fixtures/audio";
import { browserMissing, launchBrowser, watchedPage } from "../fixtures/browser";
import { waitFor } from "../fixtures/wait";
import { type Harness, startApi } from "../integration/api/harness";

const noBrowser = browserMissing("the account page browser tests");

let browser: Browser | null = null;
let s: RunningService;
let fake: FakeTelegram;
let dir: string;
let wav: string;

beforeAll(async () => {
  dir = await tempDir("mm-web-account-");
  wav = await makeMusic(dir, { durationS: 3, name: "take.wav" });
  fake = await FakeTelegram.start();
  s = await startService(
    loadConfig({
      PORT: "0",
      MM_DATA_DIR: join(dir, "data"),
      MM_WORKERS: "1",
      MM_RATE_LIMIT_PER_MIN: "0",
      MM_BOT_TOKEN: fake.token,
      MM_TELEGRAM_API_ROOT: fake.apiRoot,
    }),
    silentLogger,
  );
  if (noBrowser) return;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
  await fake?.stop();
  await cleanup(dir);
});

const watched = (b: Browser | null, locale = "en-US") => watchedPage(b, { locale, acceptDownloads: true });

/** Opens `path` and waits until the page's script has finished starting (body[data-ready]). */
async function open(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.locator("body[data-ready]").waitFor();
}

/** Waits until the element's text contains `part` (texts are filled by script). */
const waitText = (page: Page, selector: string, part: string) =>
  page.locator(selector, { hasText: part }).first().waitFor();

const visibleText = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? "").trim();

describe("the account page", () => {
  it.skipIf(noBrowser)(
    "sign up, sign out, sign in, history with download, ledger, presets, API keys, Telegram link, RU, sign out",
    async () => {
      const { page, context, problems } = await watched(browser);
      const email = "web-user@example.com";
      const password = "web-user-password";
      try {
        // A guest sees both forms; a too-short password is refused next to the sign-up button, in English.
        await open(page, s.url, "/account");
        expect(await page.isVisible("#signin-form")).toBe(true);
        expect(await page.isVisible("#signed-in")).toBe(false);
        await page.fill("#signup-email", email);
        await page.fill("#signup-password", "short");
        await page.click("#signup-submit");
        await page.locator("#signup-submit-error:not([hidden])").waitFor();
        expect(await visibleText(page, "#signup-submit-error")).toContain("password");
        expect(await page.getAttribute("#signup-submit", "aria-invalid")).toBe("true");

        // Without SMTP, signing up signs in at once.
        await page.fill("#signup-password", password);
        await page.click("#signup-submit");
        await page.locator("#signed-in:not([hidden])").waitFor();
        await waitText(page, "#me-email", email);
        expect(await visibleText(page, "#site-header .who")).toContain(email);

        // Sign out from the header, then a wrong password: refused next to the sign-in button.
        await page.click("#sign-out");
        await page.waitForURL(`${s.url}/`);
        await open(page, s.url, "/account");
        await page.fill("#signin-email", email);
        await page.fill("#signin-password", "not-the-password");
        await page.click("#signin-submit");
        await page.locator("#signin-submit-error:not([hidden])").waitFor();
        expect(await visibleText(page, "#signin-submit-error")).toMatch(/password|e-mail/i);
        await page.fill("#signin-password", password);
        await page.click("#signin-submit");
        await page.locator("#signed-in:not([hidden])").waitFor();

        // A master of theirs (through the API with the browser's session) shows in the history.
        const session = (await context.cookies()).find((c) => c.name === "mm_session")?.value ?? "";
        expect(session).not.toBe("");
        const fd = new FormData();
        fd.append("file", Bun.file(wav), "take.wav");
        fd.append("format", "flac24");
        const up = await fetch(`${s.url}/api/v2/master`, {
          method: "POST",
          body: fd,
          headers: { authorization: `Bearer ${session}` },
        });
        expect(up.status).toBe(202);
        const jobId = ((await up.json()) as { id: string }).id;
        await waitFor(() => s.jobs.get(jobId)?.status === "done", {
          what: `job ${jobId} done`,
          timeoutMs: 120_000,
        });
        const user = s.dbh.sqlite
          .query<{ id: number }, [string]>("SELECT id FROM users WHERE email = ?1")
          .get(email);
        createSqliteLedger(s.dbh, () => 0).credit(user?.id ?? 0, 7, { note: "welcome gift", actor: "cli" });

        await open(page, s.url, "/account#history");
        const row = page.locator(`#history-table tr[data-job="${jobId}"]`);
        await row.waitFor();
        expect(await row.textContent()).toContain("take.wav");
        expect(await row.textContent()).toContain("done");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          row.locator("a.download").click(),
        ]);
        const saved = join(dir, "downloaded.flac");
        await download.saveAs(saved);
        const m = await measure(saved);
        expect(m.rate).toBe(44100);
        expect(m.samples / m.rate).toBeCloseTo(3, 1);
        expect(m.tp).toBeLessThanOrEqual(-0.9);
        expect(await visibleText(page, "#history-total")).toBe("Tasks in total: 1");

        // The ledger: the operator's credit with its note, and the balance.
        await page.click('#tabs a[href="#ledger"]');
        await waitText(page, "#ledger-table tbody", "welcome gift");
        expect(await visibleText(page, "#ledger-table tbody")).toContain("+7");
        expect(await visibleText(page, "#ledger-table tbody")).toContain("credit by an operator");
        expect(await visibleText(page, "#ledger-balance")).toBe("Balance now: 7 tokens");
        expect(await page.isHidden("#tab-history")).toBe(true);

        // Presets: a target out of range is refused next to the save button; a good one is listed, then deleted.
        await page.click('#tabs a[href="#presets"]');
        await page.locator("#preset-style option[value=edm]").waitFor({ state: "attached" });
        await page.fill("#preset-name", "Loud EDM");
        await page.selectOption("#preset-style", "edm");
        await page.selectOption("#preset-format", "flac24");
        await page.fill("#preset-target", "-40");
        await page.click("#preset-submit");
        await page.locator("#preset-submit-error:not([hidden])").waitFor();
        expect(await visibleText(page, "#preset-submit-error")).toContain("target_lufs");
        await page.fill("#preset-target", "-9");
        await page.click("#preset-submit");
        await waitText(page, "#presets-list", "Loud EDM");
        expect(await visibleText(page, "#presets-list")).toContain("edm · -9 LUFS · flac24");
        expect(await page.isHidden("#preset-submit-error")).toBe(true);
        const saved1 = (await (
          await fetch(`${s.url}/api/auth/presets`, { headers: { authorization: `Bearer ${session}` } })
        ).json()) as { presets: { name: string; settings: Record<string, unknown> }[] };
        expect(saved1.presets).toEqual([
          expect.objectContaining({
            name: "Loud EDM",
            settings: { style: "edm", format: "flac24", target_lufs: -9 },
          }),
        ]);
        await page.click('#presets-list button[aria-label="Delete “Loud EDM”"]');
        await waitText(page, "#presets-list", "Nothing here yet.");

        // API keys: the key is shown once; it works; after a reload only its prefix is on the page; revoked, it fails.
        await page.click('#tabs a[href="#keys"]');
        await page.fill("#key-name", "my script");
        await page.click("#key-submit");
        await page.locator("#key-once:not([hidden])").waitFor();
        const key = await page.inputValue("#key-value");
        expect(key).toMatch(/^mm_[A-Za-z0-9_-]{40,}$/);
        await waitText(page, "#keys-list", "my script");
        const byKey = await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } });
        expect(byKey.status).toBe(200);
        await page.reload();
        await page.locator("body[data-ready]").waitFor();
        await waitText(page, "#keys-list", "my script");
        expect(await page.isHidden("#key-once")).toBe(true);
        expect(await page.content()).not.toContain(key);
        await page.click("#keys-list button");
        await waitText(page, "#keys-list", "Nothing here yet.");
        expect(
          (await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status,
        ).toBe(401);

        // Telegram: a wrong code is refused next to the button; the bot's /link code links the accounts.
        await page.click('#tabs a[href="#telegram"]');
        await waitText(page, "#telegram-state", "not linked");
        await page.fill("#telegram-code", "000000");
        await page.click("#telegram-submit");
        await page.locator("#telegram-submit-error:not([hidden])").waitFor();
        const tg = FakeTelegram.user(93001, { username: "webfriend" });
        await waitFor(() => s.bot.status() === "running", { what: "the bot polling" });
        const before = fake.messagesTo(tg.id).length;
        fake.userSendsText(tg, "/link");
        const code = await fake.waitFor(
          () =>
            fake
              .messagesTo(tg.id)
              .slice(before)
              .map((msg) => /\b(\d{6})\b/.exec(msg.text ?? "")?.[1])
              .find(Boolean),
          30_000,
          "the bot's link code",
        );
        await page.fill("#telegram-code", code);
        await page.click("#telegram-submit");
        await waitText(page, "#telegram-state", "Linked @webfriend");
        expect(await page.isVisible("#telegram-unlink")).toBe(true);
        const me = (await (
          await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${session}` } })
        ).json()) as { telegram_linked: boolean };
        expect(me.telegram_linked).toBe(true);

        // Russian: the page's texts and the API's errors follow the switch (and it is remembered).
        await page.click("#lang-ru");
        await waitText(page, "#tabs", "История");
        await page.click('#tabs a[href="#presets"]');
        await page.locator("#preset-style option[value=edm]").waitFor({ state: "attached" });
        await page.fill("#preset-name", "");
        await page.click("#preset-submit");
        await page.locator("#preset-submit-error:not([hidden])").waitFor();
        expect(await visibleText(page, "#preset-submit-error")).toMatch(/[а-яА-Я]/);
        await page.reload();
        await page.locator("body[data-ready]").waitFor();
        expect(await visibleText(page, "#tabs")).toContain("Пресеты");

        // Sign out: the session is over on the server too.
        await page.click("#sign-out");
        await page.waitForURL(`${s.url}/`);
        const after = await fetch(`${s.url}/api/auth/me`, {
          headers: { authorization: `Bearer ${session}` },
        });
        expect(after.status).toBe(401);
        await open(page, s.url, "/account");
        expect(await page.isVisible("#signin-form")).toBe(true);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  it.skipIf(noBrowser)(
    "an invitation link /register?ref=CODE opens sign-up with the invitation named",
    async () => {
      const { page, context, problems } = await watched(browser);
      try {
        await open(page, s.url, "/register?ref=ABC123");
        expect(await page.isVisible("#signup-form")).toBe(true);
        expect(await visibleText(page, "#signup-ref")).toContain("ABC123");
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});

describe("the e-mail confirmation landing", () => {
  let smtp: SmtpFake;
  let h: Harness;
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
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
  });

  it.skipIf(noBrowser)(
    "sign up says 'check your mail'; the mailed link opens /verify confirmed, a second time invalid; then sign in",
    async () => {
      const { page, context, problems } = await watched(browser, "ru-RU");
      const email = "confirm@example.com";
      try {
        await open(page, h.url, "/account");
        await page.fill("#signup-email", email);
        await page.fill("#signup-password", "confirm-password");
        await page.click("#signup-submit");
        await waitText(page, "#signup-result", "Проверьте почту");
        expect(await page.isVisible("#signed-in")).toBe(false);
        const mail = await smtp.waitFor(email);
        const link = mail.link ?? "";
        expect(link).toContain("/api/auth/verify-email?token=");

        await page.goto(link);
        await page.waitForURL(`${h.url}/verify?result=done`);
        await page.locator("body[data-ready]").waitFor();
        expect(await visibleText(page, "#verify-result")).toBe("E-mail подтверждён. Спасибо!");
        await page.goto(link);
        await page.waitForURL(`${h.url}/verify?error=token_invalid`);
        await page.locator("body[data-ready]").waitFor();
        expect(await visibleText(page, "#verify-result")).toContain("Ссылка недействительна");

        await page.click("#verify-next");
        await page.locator("body[data-ready]").waitFor();
        await page.fill("#signin-email", email);
        await page.fill("#signin-password", "confirm-password");
        await page.click("#signin-submit");
        await page.locator("#signed-in:not([hidden])").waitFor();
        expect(await visibleText(page, "#me-verified")).toBe("да");
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    },
    60_000,
  );
});
