// `magic-master cron run subscriptions` on the compiled binary, with the real clock, SMTP to a real
// server on loopback and the bot to the fake Bot API: a pro tier ending in 2 days is warned once by mail
// and once by the bot (a second run sends nothing), a tier past its end is back to free and audited.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, recentAudit, runMigrations, schema } from "../../src/db";
import { type SmtpFake, startSmtp } from "../fakes/smtp";
import { FakeTelegram } from "../fakes/telegram";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

const DAY = 86_400_000;
let dataDir: string;
let dbh: DbHandle;
let smtp: SmtpFake;
let fake: FakeTelegram;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, {
    MM_DATA_DIR: dataDir,
    MM_LOG_LEVEL: "warn",
    MM_SMTP_URL: smtp.url,
    MM_MAIL_FROM: "Magic Master <noreply@mm.test>",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_PUBLIC_URL: "https://mm.example",
  });

const user = (telegramId: string, email: string, lang: "ru" | "en") =>
  dbh.db
    .insert(schema.users)
    .values({ telegramId, email, emailVerifiedAt: Date.now(), lang })
    .returning()
    .get()?.id ?? 0;

beforeAll(async () => {
  dataDir = tempDir("mm-subs-cron-");
  await ensureBinary();
  smtp = await startSmtp();
  fake = await FakeTelegram.start();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
});
afterAll(async () => {
  dbh.sqlite.close();
  await smtp.close();
  await fake.stop();
});

describe("magic-master cron run subscriptions", () => {
  it("warns a tier ending in 2 days once per channel and ends a tier past its end", async () => {
    const ending = user("4001", "dana@example.org", "ru");
    const past = user("4002", "egor@example.org", "en");
    const grant = await cli("admin", "extend-tier", "4001", "pro", "2", "--reason", "e2e");
    expect(grant.code, grant.stderr).toBe(0);
    // Test set-up: an expiry in the past (no grant produces one).
    dbh.sqlite.run("UPDATE users SET tier = 'studio', tier_expires_at = ?1 WHERE id = ?2", [
      Date.now() - DAY,
      past,
    ]);

    const first = await cli("cron", "run", "subscriptions", "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      task: "subscriptions",
      expired: 1,
      warned_email: 1,
      warned_bot: 1,
      warn_failed: 0,
    });
    const mail = await smtp.waitFor("dana@example.org");
    expect(mail.subject).toContain("Тариф pro");
    expect(mail.link).toBe("https://mm.example");
    expect(fake.textsTo(4001)).toHaveLength(1);
    expect(fake.textsTo(4001)[0]).toContain("Ваш тариф pro");

    const second = await cli("cron", "run", "subscriptions", "--json");
    expect(JSON.parse(second.stdout)).toMatchObject({ expired: 0, warned_email: 0, warned_bot: 0 });
    expect(smtp.to("dana@example.org")).toHaveLength(1);
    expect(fake.textsTo(4001)).toHaveLength(1);

    const row = dbh.sqlite
      .query<{ tier: string; tier_expires_at: number | null }, [number]>(
        "SELECT tier, tier_expires_at FROM users WHERE id = ?1",
      )
      .get(past);
    expect(row).toEqual({ tier: "free", tier_expires_at: null });
    expect(
      recentAudit(dbh.db, 20).some((a) => a.action === "tier_expired" && a.target === `user:${past}`),
    ).toBe(true);
    expect(smtp.to("egor@example.org")).toEqual([]);
    expect(ending).toBeGreaterThan(0);
  });
});
