// Admin notifications to MM_ADMIN_CHAT_ID: start-up, task failures (a burst folds into one message) and
// alerts from other modules with per-kind throttling. Never throws: a notification that cannot be sent is
// logged and dropped, so no caller ever fails because Telegram is unreachable.

import { hostname } from "node:os";
import { Api } from "grammy";
import type { Config } from "../config";
import { type Lang, t } from "../i18n";
import type { JobService, JobView } from "../jobs";
import type { Logger } from "../log";
import { installOutgoingPolicy } from "./telegram-api";
import { classifyTelegramError } from "./telegram-errors";

export interface Notifier {
  /** "Service started" with version and host. */
  startup(version: string): Promise<void>;
  /** Queues a failure; failures arriving within the fold window go out as one message. */
  taskFailed(job: Pick<JobView, "id" | "error" | "original_name" | "owner_key">): void;
  /**
   * An alert from another module (disk low, queue long, backup failed …). At most one message per `kind`
   * per throttle window; suppressed ones are counted in the next message. Resolves true when sent.
   */
  notifyAdmin(kind: string, text: string): Promise<boolean>;
  /**
   * One message to the admin chat that must not be throttled (a payment received, a refund), written in
   * the admin chat's language by `render`. Resolves true when sent.
   */
  tellAdmin(kind: string, render: (lang: Lang) => string): Promise<boolean>;
  /** The admin panel's "send a test message": not throttled; "sent", or why not ("not_configured", "failed"). */
  sendTest(text: string): Promise<"sent" | "not_configured" | "failed">;
  /** Subscribes to the job service's failures; returns the unsubscribe function. */
  watchJobs(jobs: Pick<JobService, "onEvent">): () => void;
  /** Sends any folded failures now (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export type NotifierDeps = {
  config: Pick<Config, "MM_BOT_TOKEN" | "MM_TELEGRAM_API_ROOT" | "MM_ADMIN_CHAT_ID">;
  log: Logger;
  /** The bot's API client when it runs (shares its throttler); otherwise one is built from the config. */
  api?: Api;
  lang?: Lang;
  /** Per-kind throttle for notifyAdmin, ms (default 15 min). */
  throttleMs?: number;
  /** Failures within this window after the first are folded into one message, ms (default 10 s). */
  foldMs?: number;
  now?: () => number;
};

const MAX_FOLDED_LINES = 20;

/** Creates the notifier. Without a token or admin chat it only logs (`notify_skipped`). */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { config, log } = deps;
  const lang = deps.lang ?? "en";
  const throttleMs = deps.throttleMs ?? 15 * 60_000;
  const foldMs = deps.foldMs ?? 10_000;
  const now = deps.now ?? Date.now;
  // Read when sending: the admin chat is a runtime setting (src/settings/runtime.ts).
  const chatOf = () => config.MM_ADMIN_CHAT_ID;
  let api = deps.api;
  if (!api && config.MM_BOT_TOKEN) {
    api = new Api(config.MM_BOT_TOKEN, { apiRoot: config.MM_TELEGRAM_API_ROOT });
    installOutgoingPolicy(api, { log });
  }
  const lastByKind = new Map<string, { at: number; suppressed: number }>();
  let folded: Pick<JobView, "id" | "error" | "original_name" | "owner_key">[] = [];
  let foldTimer: ReturnType<typeof setTimeout> | undefined;
  const inflight = new Set<Promise<boolean>>();

  function send(kind: string, text: string): Promise<boolean> {
    const chatId = chatOf();
    if (!api || !chatId) {
      log.debug("notify_skipped", "no bot token or admin chat", { kind });
      return Promise.resolve(false);
    }
    const target = api;
    const p = target
      .sendMessage(chatId, text.slice(0, 4000), { link_preview_options: { is_disabled: true } })
      .then(() => {
        log.info("notify_sent", "", { kind });
        return true;
      })
      .catch((err: unknown) => {
        const c = classifyTelegramError(err);
        log.warn("notify_failed", c.description, { kind, error_kind: c.kind, error_code: c.code });
        return false;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    return p;
  }

  async function flushFailures(): Promise<void> {
    if (foldTimer) clearTimeout(foldTimer);
    foldTimer = undefined;
    const batch = folded;
    folded = [];
    if (batch.length === 0) return;
    const line = (j: (typeof batch)[number]) =>
      t(lang, "notify_failure_line", {
        id: j.id,
        reason: j.error?.code ?? "unknown",
        name: j.original_name,
        owner: j.owner_key,
      });
    const text =
      batch.length === 1 && batch[0]
        ? t(lang, "notify_task_failed", { line: line(batch[0]) })
        : t(lang, "notify_tasks_failed", {
            count: batch.length,
            seconds: Math.round(foldMs / 1000),
            lines: batch.slice(0, MAX_FOLDED_LINES).map(line).join("\n"),
            more: batch.length > MAX_FOLDED_LINES ? `\n… +${batch.length - MAX_FOLDED_LINES}` : "",
          });
    await send("job_failed", text);
  }

  function taskFailed(job: Pick<JobView, "id" | "error" | "original_name" | "owner_key">): void {
    folded.push(job);
    if (!foldTimer) foldTimer = setTimeout(() => void flushFailures(), foldMs);
  }

  return {
    async startup(version) {
      await send("startup", t(lang, "notify_startup", { version, host: hostname() }));
    },
    taskFailed,
    async sendTest(text) {
      if (!api || !chatOf()) return "not_configured";
      return (await send("test", text)) ? "sent" : "failed";
    },
    async notifyAdmin(kind, text) {
      const at = now();
      const last = lastByKind.get(kind);
      if (last && at - last.at < throttleMs) {
        last.suppressed++;
        log.info("notify_throttled", "", { kind, suppressed: last.suppressed });
        return false;
      }
      const suppressed = last?.suppressed ?? 0;
      lastByKind.set(kind, { at, suppressed: 0 });
      const extra = suppressed > 0 ? t(lang, "notify_suppressed", { count: suppressed }) : "";
      return send(kind, `${t(lang, "notify_alert", { kind, text })}${extra}`);
    },
    tellAdmin: (kind, render) => send(kind, render(lang)),
    watchJobs(jobs) {
      return jobs.onEvent((e) => {
        // A failure another node announced is reported by that node (one alert per failure).
        if (e.type === "state" && e.job.status === "failed" && !e.remote) taskFailed(e.job);
      });
    },
    flush: async () => {
      await flushFailures();
      await Promise.all([...inflight]);
    },
    async stop() {
      await flushFailures();
      await Promise.all([...inflight]);
    },
  };
}
