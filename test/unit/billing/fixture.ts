// A real database with migrations, accounts and the ledger over it, and helpers to make users: the SQLite
// file of a temp data folder by default, or the Postgres database a test passes (the same services).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Accounts, createAccountStores, createAccounts, createTiers } from "../../../src/accounts";
import { createBillingStores, type Ledger, ledgerOn } from "../../../src/billing";
import { type Config, loadConfig } from "../../../src/config";
import { type Backend, closeBackend, type DbHandle, openDb, PgClient, runMigrations } from "../../../src/db";
import { type DataLayout, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService, type SubmitRequest } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

export type LedgerWorld = {
  dir: string;
  backend: Backend;
  /** The SQLite handle (throws on Postgres: use `rows`). */
  dbh: DbHandle;
  /** Rows of a statement without parameters, on either backend. */
  rows<T>(sql: string): T[];
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

/** The world on the SQLite file of a temp data folder, or on `backend` (a fresh Postgres database). */
export function ledgerWorld(o: { backend?: Backend } = {}): LedgerWorld {
  const dir = mkdtempSync(join(tmpdir(), "mm-ledger-"));
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const backend: Backend = o.backend ?? { kind: "sqlite", dbh: openDb(layout.db) };
  if (backend.kind === "sqlite") runMigrations(backend.dbh);
  const stores = createAccountStores(backend);
  const accounts = createAccounts({
    stores,
    log: silentLogger,
    jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
  });
  // Prices from the seeded tiers table (pro/studio 1 token a master, free/guest 0).
  const tiers = createTiers({
    stores,
    log: silentLogger,
    billing: "on",
    balanceOf: (id) => ledger.balance(id),
  });
  const ledger = ledgerOn(createBillingStores(backend), tiers.costOf);
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "2", MM_BILLING: "on", ...env });
  const exec = (sql: string) =>
    backend.kind === "postgres" ? backend.pg.run(sql) : backend.dbh.sqlite.run(sql);
  return {
    dir,
    backend,
    get dbh() {
      if (backend.kind !== "sqlite") throw new Error("ledgerWorld: no SQLite handle on Postgres");
      return backend.dbh;
    },
    rows: <T>(sql: string) =>
      backend.kind === "postgres" ? backend.pg.all<T>(sql) : backend.dbh.sqlite.query<T, []>(sql).all(),
    layout,
    accounts,
    ledger,
    config,
    user(telegramId, tier = "pro") {
      const u = accounts.seenTelegramUser({ id: telegramId, username: `u${telegramId}` });
      // Test set-up only: tiers get their admin verb in a later step.
      exec(`UPDATE users SET tier = '${tier}' WHERE id = ${Number(u.id)}`);
      return u.id;
    },
    jobs: (o = {}) =>
      createJobService({
        backend,
        config: config(o.env),
        log: silentLogger,
        layout,
        billing: ledger,
        engine: o.engine,
        canClaim: o.canClaim,
        pollMs: 20,
      }),
    close() {
      closeBackend(backend);
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

type RawLedgerRow = {
  user_id: number;
  delta: number;
  reason: string;
  ref: string;
  actor: string;
  note: string | null;
};
const LEDGER_ROWS = "SELECT user_id, delta, reason, ref, actor, note FROM ledger ORDER BY id";

/** Raw ledger rows (the test reads the table to check what the service claims). */
export const ledgerRows = (dbh: DbHandle) => dbh.sqlite.query<RawLedgerRow, []>(LEDGER_ROWS).all();

/** The same on the world's database, either backend. */
export const ledgerRowsOf = (w: LedgerWorld) => w.rows<RawLedgerRow>(LEDGER_ROWS);

/** A database a ledger suite runs on: `open()` gives the world's backend (undefined: its own SQLite file). */
export type LedgerBackend = { name: "SQLite" | "Postgres"; skip: boolean; open: () => Backend | undefined };

/**
 * SQLite and a fresh database on the file's harness Postgres, for a ledger suite run once per backend. Call
 * at the top level of a test file: it registers that file's Postgres set-up and clean-up.
 */
export function ledgerBackends(what: string): [sqlite: LedgerBackend, postgres: LedgerBackend] {
  const noPg = postgresMissing(`${what} on Postgres`);
  const server = usePostgres(noPg);
  return [
    { name: "SQLite", skip: false, open: () => undefined },
    {
      name: "Postgres",
      skip: noPg,
      open: () => ({ kind: "postgres", pg: PgClient.connect(server().freshDatabase()) }),
    },
  ];
}
