// The outgoing-call policy shared by the bot and the notifier: wait out 429 retry_after, retry 5xx and
// network errors a bounded number of times, throttle per chat and globally, and report "blocked by the
// user" once so the caller can mark the chat. Installed as grammY API transformers.

import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { type Api, HttpError, type Transformer } from "grammy";
import type { Logger } from "../log";
import { classifyResponse } from "./telegram-errors";

export type OutgoingPolicyOptions = {
  log: Logger;
  /** Called when Telegram answers 403 "bot was blocked by the user" (or deactivated) for a chat. */
  onBlocked?: (chatId: string) => void;
  /** Minimum gap between calls to one private chat, ms (Telegram asks for about one message a second). */
  perChatMs?: number;
  /** Longest 429 wait we accept before giving up, seconds. */
  maxRetryDelayS?: number;
};

const NETWORK_RETRIES_MS = [500, 1500, 4000];

/** Retries network failures (HttpError) a few times; getUpdates is left to the runner's own backoff. */
function networkRetry(log: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        const delay = NETWORK_RETRIES_MS[attempt];
        if (!(err instanceof HttpError) || method === "getUpdates" || delay === undefined || signal?.aborted)
          throw err;
        log.warn("telegram_network_retry", "", { method, attempt: attempt + 1, delay_ms: delay });
        await Bun.sleep(delay);
      }
    }
  };
}

/** Watches raw replies: logs every failure once with its kind, and reports blocked chats. */
function watchReplies(log: Logger, onBlocked?: (chatId: string) => void): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok) {
      const c = classifyResponse(res.error_code, res.description, res.parameters?.retry_after);
      const chatId =
        payload && typeof payload === "object" && "chat_id" in payload ? String(payload.chat_id) : undefined;
      if (c.kind === "blocked" && chatId) onBlocked?.(chatId);
      if (c.kind !== "not_modified")
        log.info("telegram_call_failed", c.description, {
          method,
          error_code: c.code,
          kind: c.kind,
          chat_id: chatId,
        });
    }
    return res;
  };
}

/**
 * Installs the policy on `api` (innermost first: reply watcher → network retry → throttler → auto-retry),
 * so a 429 retry goes through the throttler again and every raw failure is seen once.
 */
export function installOutgoingPolicy(api: Api, opts: OutgoingPolicyOptions): void {
  const perChatMs = opts.perChatMs ?? 1000;
  api.config.use(watchReplies(opts.log, opts.onBlocked));
  api.config.use(networkRetry(opts.log));
  api.config.use(
    apiThrottler({
      global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
      out: { maxConcurrent: 1, minTime: perChatMs },
    }),
  );
  api.config.use(
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: opts.maxRetryDelayS ?? 60, rethrowHttpErrors: true }),
  );
}
