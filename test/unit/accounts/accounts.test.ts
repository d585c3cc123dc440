// The accounts service on a real temp SQLite file: upsert keeps a chosen language, lookups by
// @username / Telegram id / internal id, bans with audit rows, broadcast recipients.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Accounts, createAccounts, createSqliteAccountStores } from "../../../src/accounts";
import { closeDb, type DbHandle, openDb, recentAudit, runMigrations } from "../../../src/db";
import { createSqliteJobStore } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";

let dir: string;
let dbh: DbHandle;
let acc: Accounts;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mm-acc-"));
  dbh = openDb(join(dir, "t.db"));
  runMigrations(dbh);
  acc = createAccounts({
    stores: createSqliteAccountStores(dbh),
    log: silentLogger,
    jobsOfUser: createSqliteJobStore(dbh).countsOfUser,
  });
});
afterAll(() => {
  closeDb(dbh);
  rmSync(dir, { recursive: true, force: true });
});

describe("createAccounts", () => {
  it("takes the language from language_code on first sight and keeps a /lang choice afterwards", () => {
    const u = acc.seenTelegramUser({ id: 77, username: "Anna", language_code: "ru-RU" });
    expect(u.lang).toBe("ru");
    acc.setLang(u.id, "en");
    expect(acc.seenTelegramUser({ id: 77, username: "anna2", language_code: "ru" }).lang).toBe("en");
  });

  it("finds users by @username (any case), Telegram id and #internal id; unknown is undefined", () => {
    const u = acc.seenTelegramUser({ id: 78, username: "Boris" });
    expect(acc.find("@boris")?.id).toBe(u.id);
    expect(acc.find("78")?.id).toBe(u.id);
    expect(acc.find(`#${u.id}`)?.id).toBe(u.id);
    expect(acc.find("@nobody")).toBeUndefined();
  });

  it("finds a web account by email, in any case", () => {
    const u = acc.seenTelegramUser({ id: 79, username: "Vera" });
    dbh.sqlite.exec(`UPDATE users SET email = 'vera@example.org' WHERE id = ${u.id}`);
    expect(acc.find("Vera@Example.org")?.id).toBe(u.id);
    expect(acc.find("nobody@example.org")).toBeUndefined();
  });

  it("bans and unbans with a reason and an audit row each; unknown users throw user_not_found", () => {
    const u = acc.ban("@boris", "spam", "tg:1");
    expect(acc.isBanned(u)).toBe(true);
    expect(u.banReason).toBe("spam");
    expect(acc.broadcastRecipients()).not.toContain("78");
    expect(acc.isBanned(acc.unban("78", "cli"))).toBe(false);
    expect(recentAudit(dbh.db).map((a) => `${a.actor}:${a.action}`)).toEqual([
      "cli:user_unban",
      "tg:1:user_ban",
    ]);
    expect(() => acc.ban("@ghost", "x", "cli")).toThrow("user_not_found");
  });

  it("skips users who blocked the bot until they write again, and reports job counts", () => {
    acc.markBotBlocked(78);
    expect(acc.broadcastRecipients()).not.toContain("78");
    acc.seenTelegramUser({ id: 78 });
    expect(acc.broadcastRecipients()).toContain("78");
    expect(acc.report("78")?.jobs).toEqual({ total: 0, done: 0, failed: 0, last_at: null });
  });
});
