import {
  type Accounts,
  type ApiKeys,
  type Auth,
  type AuthLimits,
  createAccountStores,
  createAccounts,
  createApiKeys,
  createAuth,
  createEmailFlows,
  createPresets,
  createTiers,
  type EmailFlows,
  MAX_PRESETS,
  type Tiers,
  tiersAllowApiKeys,
} from "../../../src/accounts";
import { configureAudioTools } from "../../../src/audio";
import {
  type BillingSeam,
  type CostOf,
  createBillingStores,
  type Ledger,
  ledgerOn,
  noCost,
} from "../../../src/billing";
import { loadConfig } from "../../../src/config";
import {
  type Backend,
  closeBackend,
  type DbHandle,
  migrateBackend,
  openBackend,
  sqliteHandleOf,
} from "../../../src/db";
import { createFileStore, dataLayout, ensureLayout } from "../../../src/files";
import { apiMount } from "../../../src/http/api-mount";
import { createApp } from "../../../src/http/app";
import { newCounters } from "../../../src/http/deps";
import { webMount } from "../../../src/http/routes/web";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { type Logger, silentLogger } from "../../../src/log";
import { createLogMailer, type Mailer } from "../../../src/notify";
import { tempDir } from "../../fixtures/audio";
import { listFiles } from "../../fixtures/files";
import { waitFor } from "../../fixtures/wait";
import { RecordingBilling } from "../../unit/jobs/recording-billing";

export type Harness = {
  url: string;
  dir: string;
  jobs: JobService;
  billing: RecordingBilling;
  auth: Auth;
  /** The e-mail flows; `idle()` waits for mails in flight. */
  mail: EmailFlows;
  keys: ApiKeys;
  accounts: Accounts;
  /** The database the harness runs on: the SQLite file, or Postgres when MM_DATABASE_URL is set. */
  backend: Backend;
  /** The SQLite handle, for test set-up no API offers yet (a user's tier); throws on Postgres. */
  readonly dbh: DbHandle;
  /** The real ledger on the harness database (balances in /api/auth/me; jobs charge `billing`, or this
   * ledger through the tiers seam with `ledgerBilling`). */
  ledger: Ledger;
  /** Tiers and limits (enforced when MM_BILLING=on). */
  tiers: Tiers;
  layout: ReturnType<typeof dataLayout>;
  /** Every file under uploads/, results/ and work/ (recursively). */
  files(): string[];
  stop(): Promise<void>;
};

export async function startApi(
  env: Record<string, string> = {},
  /** `start: false` keeps every job queued (no pool); `web: true` also serves the web app. */
  o: {
    engine?: JobEngine;
    start?: boolean;
    web?: boolean;
    measureWaitMs?: number;
    /** The sign-in clock (session expiry, attempt windows). */
    now?: () => number;
    authLimits?: AuthLimits;
    /** Where account mail goes (an SMTP mailer on a fake server); default: the silent log. */
    mailer?: Mailer;
    /** The e-mail flows' logger (mail_failed, mail_throttled…); default silent. */
    mailLog?: Logger;
    /** The harness' ledger prices (default noCost: jobs cost 0). */
    costOf?: CostOf;
    /** Jobs charge the real ledger through the tiers seam (as the service does) instead of `billing`. */
    ledgerBilling?: boolean;
    /** Reuse a data folder (a restart on the same database); default a fresh temp dir. */
    dir?: string;
  } = {},
): Promise<Harness> {
  const dir = o.dir ?? (await tempDir("mm-api-"));
  const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", MM_RATE_LIMIT_PER_MIN: "0", ...env });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  configureAudioTools({ ffmpeg: config.MM_FFMPEG, ffprobe: config.MM_FFPROBE });
  // The same switch as the service: MM_DATABASE_URL (a harness Postgres database) or the SQLite file.
  const backend = openBackend({ databaseUrl: config.MM_DATABASE_URL, sqlitePath: layout.db });
  migrateBackend(backend);
  const stores = createAccountStores(backend);
  const billing = new RecordingBilling();
  const tiers = createTiers({
    stores,
    log: silentLogger,
    billing: config.MM_BILLING,
    balanceOf: (id) => ledger.balance(id),
  });
  const ledger = ledgerOn(
    createBillingStores(backend),
    o.costOf ?? (o.ledgerBilling ? tiers.costOf : noCost),
  );
  const seam: BillingSeam = o.ledgerBilling ? tiers.seam(ledger) : billing;
  const jobs = createJobService({
    backend,
    config,
    log: silentLogger,
    layout,
    // The data folder, or the bucket MM_STORAGE_URL names (storage-backends.test.ts runs both).
    files: createFileStore(config, layout, silentLogger),
    billing: seam,
    engine: o.engine,
    pollMs: 200,
  });
  if (o.start !== false) jobs.start();
  const authStore = stores.auth;
  const mail = createEmailFlows({
    users: authStore,
    tokens: stores.emailTokens,
    mailer: o.mailer ?? createLogMailer(o.mailLog ?? silentLogger),
    log: o.mailLog ?? silentLogger,
    publicUrl: config.MM_PUBLIC_URL,
    now: o.now,
  });
  const auth = createAuth({
    store: authStore,
    log: silentLogger,
    sessionDays: config.MM_SESSION_DAYS,
    now: o.now,
    limits: o.authLimits,
    mail,
  });
  const keys = createApiKeys({
    store: stores.apiKeys,
    log: silentLogger,
    now: o.now,
    allowsApiKeys: tiersAllowApiKeys(tiers),
  });
  const accounts = createAccounts({
    stores: stores,
    log: silentLogger,
    jobsOfUser: jobs.reports.countsOfUser,
    cancelQueuedJobs: (id, owners, actor) => jobs.cancelQueuedOfUser(id, owners, actor).length,
  });
  const app = createApp(
    {
      config,
      log: silentLogger,
      layout,
      startedAt: new Date(),
      counters: newCounters(),
      botStatus: () => "disabled",
      health: async () => {
        throw new Error("not in this harness");
      },
      version: "test",
    },
    [
      apiMount({
        config,
        layout,
        jobs,
        measureWaitMs: o.measureWaitMs ?? 30_000,
        auth,
        mail,
        keys,
        balanceOf: (id) => ledger.balance(id),
        ledger,
        presets: {
          service: createPresets(stores.presets, o.now),
          limit: MAX_PRESETS,
        },
        tiers,
      }),
      ...(o.web ? [webMount()] : []),
    ],
  );
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: app.fetch,
    idleTimeout: 30,
    maxRequestBodySize: 1 << 30,
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    dir,
    jobs,
    billing,
    auth,
    mail,
    keys,
    accounts,
    backend,
    get dbh() {
      return sqliteHandleOf(backend, "Harness.dbh");
    },
    ledger,
    tiers,
    layout,
    files: () => [...listFiles(layout.uploads), ...listFiles(layout.results), ...listFiles(layout.work)],
    async stop() {
      server.stop(true);
      await jobs.stop(2000);
      await jobs.files.settled();
      closeBackend(backend);
    },
  };
}

/** multipart body with one file (bytes or a path) plus text fields. */
export async function form(
  files: { field?: string; name: string; data: Blob | string }[],
  fields: Record<string, string> = {},
): Promise<FormData> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files)
    fd.append(f.field ?? "file", typeof f.data === "string" ? Bun.file(f.data) : f.data, f.name);
  return fd;
}

/**
 * How long the job suites wait for a job's events or state: generous on purpose. A shared machine at load
 * 30 runs a 2 s job for tens of seconds; a green run never waits this long (each wait ends on its event),
 * only a hang does, and then the message names what never happened.
 */
export const JOB_WAIT_MS = 300_000;
/** Those suites' per-test (and hook) bound (setDefaultTimeout): above JOB_WAIT_MS, so a wait's message wins. */
export const JOB_TEST_MS = JOB_WAIT_MS + 60_000;

export type SseEvent = { event: string; data: unknown };

/** Reads an SSE stream until it ends (or `deadlineMs`, which fails loudly). */
export async function readSse(url: string, deadlineMs = 60_000, signal?: AbortSignal): Promise<SseEvent[]> {
  const res = await fetch(url, { signal: signal ?? AbortSignal.timeout(deadlineMs) });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url} → ${res.status} ${await res.text()}`);
  const out: SseEvent[] = [];
  let buf = "";
  const dec = new TextDecoder();
  for await (const chunk of res.body) {
    buf += dec.decode(chunk, { stream: true });
    let at = buf.indexOf("\n\n");
    while (at >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) out.push({ event, data: JSON.parse(data) });
      at = buf.indexOf("\n\n");
    }
  }
  return out;
}

/**
 * Polls until `pred` holds, failing after `ms` — at least 30 s, since the numbers in the tests say how fast
 * things normally go and a loaded one-core machine must only make a test slower, never red.
 */
export async function until<T>(
  what: string,
  fn: () => T | Promise<T>,
  pred: (v: T) => boolean,
  ms = 60_000,
): Promise<T> {
  let last: T | undefined;
  await waitFor(
    async () => {
      last = await fn();
      return pred(last);
    },
    { what, timeoutMs: Math.max(ms, 30_000), intervalMs: 50, detail: () => last },
  );
  return last as T;
}
