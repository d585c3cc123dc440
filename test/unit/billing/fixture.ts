// A real SQLite file with migrations, accounts and the ledger over it, and helpers to make users.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Accounts, createAccounts, createSqliteAccountStores, createTiers } from "../../../src/accounts";
import { createSqliteLedger, type Ledger } from "../../../src/billing";
import { type Config, loadConfig } from "../../../src/config";
import { closeDb, type DbHandle, openDb, runMigrations } from "../../../src/db";
import { type DataLayout, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService, type SubmitRequest } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";

export type LedgerWorld = {
  dir: string;
  dbh: DbHandle;
  layout: DataLayout;
  accounts: Accounts;
  ledger: Ledger;
  /** A Telegram user row with the given tier. */
  user(telegramId: number, tier?: string): number;
  /** A job service with MM_BILLING=on charging through the ledger (pool not started). */
  jobs(o?: { env?: Record<string, string>; engine?: JobEngine; canClaim?: () => boolean }): JobService;
  config(env?: Record<string, string>): Config;
  close(): void;
};

export function ledgerWorld(): LedgerWorld {
  const dir = mkdtempSync(join(tmpdir(), "mm-ledger-"));
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const accounts = createAccounts({
    stores: createSqliteAccountStores(dbh),
    log: silentLogger,
    jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
  });
  // Prices from the seeded tiers table (pro/studio 1 token a master, free/guest 0).
  const tiers = createTiers({
    stores: createSqliteAccountStores(dbh),
    log: silentLogger,
    billing: "on",
    balanceOf: (id) => ledger.balance(id),
  });
  const ledger = createSqliteLedger(dbh, tiers.costOf);
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "2", MM_BILLING: "on", ...env });
  return {
    dir,
    dbh,
    layout,
    accounts,
    ledger,
    config,
    user(telegramId, tier = "pro") {
      const u = accounts.seenTelegramUser({ id: telegramId, username: `u${telegramId}` });
      // Test set-up only: tiers get their admin verb in a later step.
      dbh.sqlite.run("UPDATE users SET tier = ?1 WHERE id = ?2", [tier, u.id]);
      return u.id;
    },
    jobs: (o = {}) =>
      createJobService({
        dbh,
        config: config(o.env),
        log: silentLogger,
        layout,
        billing: ledger,
        engine: o.engine,
        canClaim: o.canClaim,
        pollMs: 20,
      }),
    close() {
      closeDb(dbh);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function masterRequest(
  userId: number,
  name = "a.wav",
  kind: SubmitRequest["kind"] = "master",
): SubmitRequest {
  return {
    ownerKey: `user:${userId}`,
    userId,
    source: "api",
    kind,
    inputPath: join("/nonexistent", name),
    inputBytes: 4,
    originalName: name,
    settings: {},
    lang: "en",
  };
}

/** Raw ledger rows (the test reads the table to check what the service claims). */
export const ledgerRows = (dbh: DbHandle) =>
  dbh.sqlite
    .query<
      { user_id: number; delta: number; reason: string; ref: string; actor: string; note: string | null },
      []
    >("SELECT user_id, delta, reason, ref, actor, note FROM ledger ORDER BY id")
    .all();
