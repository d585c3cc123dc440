// Turns job events into Telegram: the task's own message is edited with progress (at most one edit per
// interval, latest text wins, "not modified" tolerated), and a finished task delivers its result document
// (or a link above 50 MB), its analysis, or its failure — always naming the task id.
// The result itself goes out through ./delivery.ts: claimed on the row, sent, then marked sent (at least
// once across leader deaths), so the live event and a new leader's catch-up never send it at once.

import type { Api } from "grammy";
import type { Config } from "../config";
import type { Lang } from "../i18n";
import type { JobEvent, JobService, JobView } from "../jobs";
import type { Logger } from "../log";
import { classifyTelegramError } from "../notify";
import { createResultDelivery } from "./delivery";
import { statusText } from "./report";

export interface ProgressTracker {
  /** Starts listening to the job service; returns the unsubscribe function. */
  attach(jobs: JobService): () => void;
  /** Handles one event (exported for tests and for the initial "queued" state). */
  handle(e: JobEvent): void;
  /** Sends the result of a done job to `chatId` (used by /status for a second copy). */
  deliver(job: JobView, chatId: string, lang: Lang): Promise<void>;
  /** Shows `text` on the task's message now and starts its edit interval (the "queued" reply). */
  showNow(job: JobView, text: string): Promise<void>;
  /**
   * Delivers finished bot jobs and album reports no leader has sent yet (at start and now and then); how
   * many were due.
   */
  catchUp(): number;
  /** Cancels pending edits (shutdown). */
  stop(): void;
  /** Resolves once the result sends under way have settled their rows (./delivery.ts idle). */
  idle(): Promise<void>;
}

type Slot = {
  lastEditAt: number;
  pending?: string;
  timer?: ReturnType<typeof setTimeout>;
  final: boolean;
  busy: boolean;
};

export type ProgressDeps = {
  api: () => Api;
  jobs: () => JobService | undefined;
  config: Pick<Config, "MM_PUBLIC_URL" | "MM_TELEGRAM_LOCAL_API">;
  log: Logger;
  /** Minimum time between two edits of one task's message (default 3000 ms). */
  editIntervalMs?: number;
  /** Results above this many bytes go out as a download link (default: the Bot API's upload limit, 50 or 2000 MB). */
  uploadLimitBytes?: number;
  now?: () => number;
};

export function createProgressTracker(deps: ProgressDeps): ProgressTracker {
  const interval = deps.editIntervalMs ?? 3000;
  const results = createResultDelivery(deps);
  const now = deps.now ?? Date.now;
  const slots = new Map<string, Slot>();

  async function edit(job: JobView, text: string): Promise<void> {
    const chatId = job.bot_chat_id;
    const messageId = job.bot_message_id;
    if (!chatId || !messageId) return;
    try {
      await deps.api().editMessageText(chatId, messageId, text);
    } catch (err) {
      const c = classifyTelegramError(err);
      if (c.kind === "not_modified" || c.kind === "blocked") return;
      if (c.kind === "message_gone" && slots.get(job.id)?.final) {
        await deps
          .api()
          .sendMessage(chatId, text)
          .catch(() => undefined);
        return;
      }
      deps.log.warn("bot_progress_edit_failed", c.description, { task_id: job.id, kind: c.kind });
    }
  }

  /** Edits now if the interval allows, else keeps the latest text for a timer. Final texts always land. */
  function schedule(job: JobView, text: string, final: boolean): void {
    const slot = slots.get(job.id) ?? { lastEditAt: 0, final: false, busy: false };
    slots.set(job.id, slot);
    if (slot.final && !final) return;
    slot.final ||= final;
    slot.pending = text;
    if (slot.timer || slot.busy) return;
    const wait = Math.max(0, slot.lastEditAt + interval - now());
    slot.timer = setTimeout(() => void flush(job), wait);
  }

  async function flush(job: JobView): Promise<void> {
    const slot = slots.get(job.id);
    if (!slot) return;
    slot.timer = undefined;
    const early = slot.lastEditAt + interval - now();
    if (early > 0 || slot.busy) {
      // Another edit (showNow) went out since this timer was set: keep the interval.
      slot.timer = setTimeout(() => void flush(job), Math.max(early, 50));
      return;
    }
    const text = slot.pending;
    slot.pending = undefined;
    if (text === undefined) return;
    slot.busy = true;
    slot.lastEditAt = now();
    await edit(job, text);
    slot.busy = false;
    if (slot.pending !== undefined) {
      slot.timer = setTimeout(() => void flush(job), Math.max(0, slot.lastEditAt + interval - now()));
    } else if (slot.final) {
      slots.delete(job.id);
    }
  }

  function handle(e: JobEvent): void {
    const job = e.job;
    if (job.source !== "bot" || !job.bot_chat_id || !job.bot_message_id) return;
    const final =
      job.status === "done" ||
      job.status === "failed" ||
      job.status === "cancelled" ||
      job.status === "expired";
    schedule(job, statusText(job.lang, job), final);
    if (final && e.type === "state") void results.finish(job);
  }

  return {
    attach(jobs) {
      return jobs.onEvent(handle);
    },
    handle,
    deliver: results.deliver,
    catchUp() {
      const jobs = deps.jobs();
      const due = jobs?.botDeliveriesDue() ?? [];
      for (const job of due) handle({ type: "state", job });
      // Album reports whose last track was settled but whose report was not sent (a failed send, or a
      // leader gone between the two).
      const albums = jobs?.albumReportsDue() ?? [];
      for (const album of albums) void results.finishAlbum(album);
      return due.length + albums.length;
    },
    async showNow(job, text) {
      const slot = slots.get(job.id) ?? { lastEditAt: 0, final: false, busy: false };
      slots.set(job.id, slot);
      slot.lastEditAt = now();
      slot.busy = true;
      await edit(job, text);
      slot.busy = false;
      if (slot.pending !== undefined && !slot.timer)
        slot.timer = setTimeout(() => void flush(job), Math.max(0, slot.lastEditAt + interval - now()));
    },
    stop() {
      for (const s of slots.values()) if (s.timer) clearTimeout(s.timer);
      slots.clear();
    },
    idle: () => results.idle(),
  };
}
