// Builds and runs the Telegram bot: grammY + @grammyjs/runner long polling (sequential per chat), the
// shared outgoing policy (auto-retry, throttler, blocked-chat marking), SQLite sessions and the features.
// Middleware order: catch → update tracking → sequentialize → Stars checkout → private chats only →
// replay gate (./replay.ts, before the session) → session → user/ban → rate limit → features → admin
// (behind filter(isAdmin)) → fallback.

import { hostname } from "node:os";
import { type RunnerHandle, run, sequentialize } from "@grammyjs/runner";
import { type Api, Bot, GrammyError, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Accounts, Tiers } from "../accounts";
import type { Payments, StarsPayments } from "../billing";
import type { Config } from "../config";
import type { AuditLog } from "../db";
import type { DataLayout } from "../files";
import { errorMessage } from "../i18n";
import type { JobService } from "../jobs";
import type { Logger } from "../log";
import { classifyTelegramError, installOutgoingPolicy, type Notifier } from "../notify";
import type { Health } from "../ops";
import { registerCommands } from "./commands";
import type { BotContext, SessionData } from "./context";
import { accountFeature } from "./features/account";
import { adminFeature } from "./features/admin";
import { analyzeFeature } from "./features/analyze";
import { fallbackFeature } from "./features/fallback";
import { feedbackFeature } from "./features/feedback";
import { masterFeature } from "./features/master";
import { masterStepsFeature } from "./features/master-steps";
import { starsCheckout, starsFeature } from "./features/stars";
import { startFeature } from "./features/start";
import { statusFeature } from "./features/status";
import { loadUser, type MaintenanceState, maintenanceGate, rateLimit } from "./middleware";
import { createProgressTracker } from "./progress";
import { replayGate } from "./replay";
import type { BotAccount, BotServices } from "./services";
import { jsonSessionStorage } from "./sessions";

/**
 * How often the leader looks for results owed to chats that no live event brought: every dead interval
 * (at most a minute), so a result claimed by a leader that died mid-send is sent again within about two.
 */
const catchUpMs = (config: Config) => Math.min(60_000, config.MM_NODE_DEAD_S * 1000);

/** What health and the status page show for the bot. */
export type BotStatus = "running" | "disabled" | "error";

export type BotDeps = {
  /** Maintenance mode (src/settings): new work is refused with the operator's message. */
  maintenance?: MaintenanceState;
  config: Config;
  log: Logger;
  jobs: JobService;
  /** Users, bans and the bot's session rows (the bot writes no SQL). */
  accounts: Accounts;
  /** Tier limits checked at intake (MM_BILLING=on); absent: nothing is limited. */
  tiers?: Tiers;
  /** Where admin commands are recorded. */
  audit: AuditLog;
  layout: DataLayout;
  version: string;
  notifier?: Notifier;
  health?: () => Promise<Health>;
  /** The Telegram link, referral and balance: /link, /balance, /ref and the ref deep link. */
  account?: BotAccount;
  /** Telegram Stars orders (/buy, checkout); without it the bot sells nothing. */
  stars?: StarsPayments;
  /** Orders of every provider: the admin's /refund (billing's refundOrder). */
  payments?: Pick<Payments, "find" | "refund" | "moneyState">;
  /** Tests: skip getMe by passing the bot's identity. */
  botInfo?: UserFromGetMe;
  /** Minimum gap between progress edits of one task message (default 3000 ms). */
  progressEditMs?: number;
  /** Results above this size are sent as a download link (default: the Bot API's upload limit, 50 MB; 2000 MB local). */
  uploadLimitBytes?: number;
  /** Minimum gap between calls to one private chat (default 1000 ms). */
  perChatMs?: number;
  /** How long to wait before retrying a start that failed on the network (default 30 s). */
  startRetryMs?: number;
  now?: () => number;
};

export interface MagicBot {
  /** Connects (getMe), registers commands, starts polling. Never throws; a bad token sets status "error". */
  start(): Promise<void>;
  /** Stops polling, confirms the updates already handled, cancels pending edits. */
  stop(): Promise<void>;
  /** Resolves once the result sends under way have settled their rows (the service's stop awaits it). */
  idle(): Promise<void>;
  status(): BotStatus;
  /** The API client (with the outgoing policy), or undefined when the bot is disabled. */
  api(): Api | undefined;
  /** The bot's @username once connected (referral deep links), else undefined. */
  username(): string | undefined;
}

/**
 * Creates the bot. Without MM_BOT_TOKEN it is disabled and start() does nothing.
 *
 * ```ts
 * const bot = createBot({ config, log, jobs, accounts, audit, layout, version });
 * await bot.start(); // HTTP keeps serving even if Telegram rejects the token
 * ```
 */
export function createBot(deps: BotDeps): MagicBot {
  const { config } = deps;
  const log = deps.log.child({ component: "bot" });
  if (!config.MM_BOT_TOKEN) {
    return {
      start: async () => log.info("bot_disabled", "MM_BOT_TOKEN is empty; the Telegram bot is off"),
      stop: async () => {},
      idle: async () => {},
      status: () => "disabled",
      api: () => undefined,
      username: () => undefined,
    };
  }

  const now = deps.now ?? Date.now;
  const { accounts } = deps;
  const bot = new Bot<BotContext>(config.MM_BOT_TOKEN, {
    botInfo: deps.botInfo,
    client: { apiRoot: config.MM_TELEGRAM_API_ROOT },
  });
  installOutgoingPolicy(bot.api, {
    log,
    perChatMs: deps.perChatMs,
    onBlocked: (chatId) => {
      if (!chatId.startsWith("-")) accounts.markBotBlocked(chatId);
    },
  });
  const tracker = createProgressTracker({
    api: () => bot.api,
    jobs: () => deps.jobs,
    config,
    log,
    editIntervalMs: deps.progressEditMs,
    uploadLimitBytes: deps.uploadLimitBytes,
    now,
  });
  const svc: BotServices = {
    config,
    log,
    audit: deps.audit,
    jobs: deps.jobs,
    accounts,
    tiers: deps.tiers,
    layout: deps.layout,
    version: deps.version,
    startedAt: new Date(now()),
    notifier: deps.notifier,
    health: deps.health,
    tracker,
    api: () => bot.api,
    now,
    account: deps.account,
    stars: deps.stars,
    payments: deps.payments,
  };

  let lastUpdateId = 0;
  bot.catch(async (err) => {
    const ctx = err.ctx;
    const taskId = ctx.mm?.taskId;
    log.error("bot_update_failed", err.error instanceof Error ? err.error.message : String(err.error), {
      update_id: ctx.update.update_id,
      user_id: ctx.mm?.user.id,
      telegram_id: ctx.from?.id,
      task_id: taskId,
      error: err.error,
    });
    if (ctx.chat?.type !== "private" || !ctx.mm) return;
    const text = taskId
      ? ctx.mm.t("bot_task_error", { id: taskId, reason: errorMessage(ctx.mm.lang, "internal_error") })
      : ctx.mm.t("bot_error_try_again");
    await ctx.reply(text).catch(() => undefined);
  });

  bot.use(async (ctx, next) => {
    lastUpdateId = Math.max(lastUpdateId, ctx.update.update_id);
    await next();
  });
  bot.use(sequentialize((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  // The user blocked (or unblocked) us: remember it so broadcasts skip the chat.
  bot.on("my_chat_member", (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type === "private" && status === "kicked") accounts.markBotBlocked(ctx.chat.id);
  });
  // Checkout updates first: answered within Telegram's 10 s and credited whatever maintenance or rate limits say.
  bot.use(starsCheckout(deps.stars, accounts, log));
  // Groups, channels, edited messages and other update kinds are ignored without a word.
  const dm = bot.chatType("private").on(["message", "callback_query"]);
  dm.use(replayGate(accounts.botUpdates, log, now));
  dm.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: jsonSessionStorage<SessionData>(accounts.botSessions),
    }),
  );
  dm.use(loadUser(accounts, config.MM_ADMIN_IDS, log));
  dm.use(rateLimit(config.MM_BOT_RATE_PER_MIN, now));
  dm.use(maintenanceGate(deps.maintenance));
  if (deps.account) dm.use(accountFeature(deps.account));
  dm.use(startFeature(svc));
  dm.use(masterFeature(svc));
  dm.use(masterStepsFeature());
  dm.use(analyzeFeature(config));
  dm.use(statusFeature(svc));
  dm.use(feedbackFeature(svc));
  dm.use(starsFeature(deps.stars, log));
  dm.filter((ctx) => ctx.mm.isAdmin).use(adminFeature(svc));
  dm.use(fallbackFeature(config));

  let state: BotStatus = "disabled";
  let runner: RunnerHandle | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let catchUpTimer: ReturnType<typeof setInterval> | undefined;
  /** Results owed to chats that no live event brought (finished while no node led, a lost notification). */
  const catchUp = (first: boolean) => {
    try {
      const due = tracker.catchUp();
      if (first || due > 0) log.info("bot_deliveries_caught_up", "", { due });
    } catch (err) {
      log.warn("bot_catch_up_failed", String(err), { error: String(err) });
    }
  };

  async function connect(): Promise<void> {
    try {
      await bot.init();
    } catch (err) {
      const c = classifyTelegramError(err);
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        log.error(
          "bot_token_rejected",
          "Telegram rejected MM_BOT_TOKEN (401 Unauthorized): check the token; the bot stays off, HTTP keeps serving",
          { error_code: err.error_code },
        );
        state = "error";
        return;
      }
      state = "error";
      const retryMs = deps.startRetryMs ?? 30_000;
      log.error("bot_start_failed", c.description, { kind: c.kind, retry_in_ms: retryMs });
      if (!stopped) retryTimer = setTimeout(() => void connect(), retryMs);
      return;
    }
    if (stopped) return;
    // Switching from a webhook to polling; pending updates are kept (drop_pending_updates: false).
    await bot.api
      .deleteWebhook({ drop_pending_updates: false })
      .catch((e: unknown) => log.warn("bot_delete_webhook_failed", String(e)));
    await registerCommands(bot.api, config.MM_ADMIN_IDS, log, deps.stars !== undefined);
    unsubscribe = tracker.attach(deps.jobs);
    catchUp(true);
    catchUpTimer = setInterval(() => catchUp(false), catchUpMs(config));
    runner = run(bot, {
      runner: {
        silent: true,
        fetch: { allowed_updates: ["message", "callback_query", "my_chat_member", "pre_checkout_query"] },
      },
    });
    state = "running";
    log.info("bot_started", "", { username: bot.botInfo.username, host: hostname() });
    runner.task()?.catch((e: unknown) => {
      const c = classifyTelegramError(e);
      state = "error";
      log.error("bot_polling_stopped", c.description, { kind: c.kind, error_code: c.code });
    });
  }

  return {
    async start() {
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      clearInterval(catchUpTimer);
      unsubscribe?.();
      tracker.stop();
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
      if (lastUpdateId > 0 && state === "running") {
        // Tell Telegram which updates we handled, or they come back after the restart.
        await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
      }
      if (state === "running") state = "disabled";
      log.info("bot_stopped", "", { last_update_id: lastUpdateId });
    },
    idle: () => tracker.idle(),
    status: () => state,
    api: () => (state === "disabled" && stopped ? undefined : bot.api),
    username: () => (bot.isInited() ? bot.botInfo.username : undefined),
  };
}
