// A running bot against the fake Bot API: real SQLite in a temp data dir, real job service and ffmpeg,
// log lines captured as parsed JSON. `restartBot()` stops and rebuilds the bot on the same database.

import { join } from "node:path";
import { createAccounts, createSqliteAccountStores, createTiers, type Tiers } from "../../../src/accounts";
import { configureAudioTools } from "../../../src/audio";
import { createSqliteLedger, type Ledger } from "../../../src/billing";
import { createBot, type MagicBot } from "../../../src/bot";
import { type Config, loadConfig } from "../../../src/config";
import { closeDb, createAuditLog, type DbHandle, openDb, runMigrations } from "../../../src/db";
import { type DataLayout, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobService } from "../../../src/jobs";
import { createLogger, type Logger } from "../../../src/log";
import { createSettings, type Settings } from "../../../src/settings";
import { buttonsOf, FakeTelegram, type FakeUser } from "../../fakes/telegram";
import { cleanup, tempDir } from "../../fixtures/audio";

export type LogLine = Record<string, unknown> & { event: string; level: string };

export type BotHarness = {
  fake: FakeTelegram;
  config: Config;
  dbh: DbHandle;
  jobs: JobService;
  layout: DataLayout;
  dir: string;
  bot: MagicBot;
  logs: LogLine[];
  log: Logger;
  settings: Settings;
  /** Tiers and the ledger jobs charge through (limits enforced when MM_BILLING=on, as in the service). */
  tiers: Tiers;
  ledger: Ledger;
  /** Stops the bot, runs `between` (the world as the next leader finds it), starts a new one. */
  restartBot(between?: () => void): Promise<void>;
  stop(): Promise<void>;
};

export const ADMIN_ID = 9001;

export type HarnessOptions = {
  progressEditMs?: number;
  /** Results above this many bytes are sent as a link (default: the real 50 MB). */
  uploadLimitBytes?: number;
};

export async function startBot(
  env: Record<string, string> = {},
  o: HarnessOptions = {},
): Promise<BotHarness> {
  const dir = await tempDir("mm-bot-");
  // MM_TELEGRAM_LOCAL_API=on: the fake is a local Bot API server whose working directory is in `dir`.
  const local = env.MM_TELEGRAM_LOCAL_API === "on" ? { dir: join(dir, "telegram-bot-api") } : undefined;
  const fake = await FakeTelegram.start({ local });
  const config = loadConfig({
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_ADMIN_IDS: String(ADMIN_ID),
    MM_ADMIN_CHAT_ID: "-100500",
    MM_PUBLIC_URL: "https://mm.example.test",
    ...env,
  });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  configureAudioTools({ ffmpeg: config.MM_FFMPEG, ffprobe: config.MM_FFPROBE });
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const logs: LogLine[] = [];
  const log = createLogger("debug", (line) => logs.push(JSON.parse(line) as LogLine));
  const settings = createSettings({ kind: "sqlite", dbh }, { cacheMs: 0 });
  const tiers = createTiers({
    stores: createSqliteAccountStores(dbh),
    log,
    billing: config.MM_BILLING,
    balanceOf: (id) => ledger.balance(id),
  });
  const ledger = createSqliteLedger(dbh, tiers.costOf);
  const billing = config.MM_BILLING === "on" ? tiers.seam(ledger) : undefined;
  const jobs = createJobService({ dbh, config, log, layout, pollMs: 100, billing });
  jobs.start();
  const make = () =>
    createBot({
      config,
      log,
      jobs,
      accounts: createAccounts({
        stores: createSqliteAccountStores(dbh),
        log,
        jobsOfUser: jobs.reports.countsOfUser,
      }),
      tiers,
      audit: createAuditLog({ kind: "sqlite", dbh }),
      layout,
      version: "test",
      botInfo: fake.botInfo,
      perChatMs: 50,
      progressEditMs: o.progressEditMs ?? 1000,
      uploadLimitBytes: o.uploadLimitBytes,
      maintenance: settings,
    });
  const h: BotHarness = {
    fake,
    config,
    dbh,
    jobs,
    layout,
    dir,
    bot: make(),
    logs,
    log,
    settings,
    tiers,
    ledger,
    async restartBot(between) {
      await h.bot.stop();
      between?.();
      h.bot = make();
      await h.bot.start();
    },
    async stop() {
      await h.bot.stop();
      await jobs.stop(2000);
      closeDb(dbh);
      await fake.stop();
      await cleanup(dir);
    },
  };
  await h.bot.start();
  return h;
}

/**
 * The two taps of the mastering flow: sends `file`, presses the style, then the format, and returns the
 * task message (edited in place from then on).
 */
export async function sendAndChoose(
  h: BotHarness,
  u: FakeUser,
  file: string,
  o: { fileName: string; style: string; format: string },
) {
  h.fake.userSendsAudio(u, file, { fileName: o.fileName });
  const msg = await h.fake.waitFor(
    () => h.fake.messagesTo(u.id).find((m) => buttonsOf(m).some((b) => b.callback_data === `st:${o.style}`)),
    5000,
    "style keyboard",
  );
  h.fake.userPressesButton(u, msg.message_id, `st:${o.style}`);
  await h.fake.waitFor(
    () => buttonsOf(msg).some((b) => b.callback_data === `fm:${o.format}`),
    5000,
    "formats",
  );
  h.fake.userPressesButton(u, msg.message_id, `fm:${o.format}`);
  return msg;
}

let barrierCount = 0;

/**
 * Resolves once the bot has handled every update `u` sent so far. Updates of one chat run in order
 * (sequentialize), so a button press sent now is answered only after all of them: waiting for that answer
 * replaces "sleep and hope nothing else arrives". Every user gets an answer, banned or rate-limited ones
 * included (a silent one); the press sends no message, so reply counts stay as they were.
 */
export async function drain(h: BotHarness, u: FakeUser): Promise<void> {
  const q = h.fake.userPressesButton(u, 1, `zz-drain-${++barrierCount}`);
  await h.fake.waitFor(
    () => h.fake.answeredCallbacks.some((a) => a.callback_query_id === q.id),
    30_000,
    `the bot to handle every update of ${u.id}`,
  );
}
