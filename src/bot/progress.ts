// Turns job events into Telegram: the task's own message is edited with progress (at most one edit per
// interval, latest text wins, "not modified" tolerated), and a finished task delivers its result document
// (or a link above 50 MB), its analysis, or its failure — always naming the task id.
// Delivery is durable: a bot job is owed to its chat until a leader claims it on the row (jobs'
// claimBotDelivery), so the live event and a new leader's catch-up (results that finished while no node
// led, or whose event was lost) never both send it.

import { type Api, InlineKeyboard, InputFile } from "grammy";
import type { Config } from "../config";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { batchToken, isFinal, type JobEvent, type JobService, type JobView } from "../jobs";
import type { Logger } from "../log";
import { classifyTelegramError } from "../notify";
import { albumReportText } from "./album-report";
import { analysisReport, resultCaption, statusText } from "./report";
import { batchZipLink, resultLink } from "./services";
import { telegramUploadLimit } from "./telegram-files";

export interface ProgressTracker {
  /** Starts listening to the job service; returns the unsubscribe function. */
  attach(jobs: JobService): () => void;
  /** Handles one event (exported for tests and for the initial "queued" state). */
  handle(e: JobEvent): void;
  /** Sends the result of a done job to `chatId` (used by /status for a second copy). */
  deliver(job: JobView, chatId: string, lang: Lang): Promise<void>;
  /** Shows `text` on the task's message now and starts its edit interval (the "queued" reply). */
  showNow(job: JobView, text: string): Promise<void>;
  /** Delivers finished bot jobs no leader has sent yet (at start and now and then); how many were due. */
  catchUp(): number;
  /** Cancels pending edits (shutdown). */
  stop(): void;
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

/** Buttons under a result: another style, other format, analyse result. */
export function resultKeyboard(lang: Lang, jobId: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(lang, "bot_btn_another_style"), `rs:${jobId}`)
    .text(t(lang, "bot_btn_other_format"), `rf:${jobId}`)
    .row()
    .text(t(lang, "bot_btn_analyse_result"), `ra:${jobId}`);
}

export function createProgressTracker(deps: ProgressDeps): ProgressTracker {
  const interval = deps.editIntervalMs ?? 3000;
  const uploadLimit = deps.uploadLimitBytes ?? telegramUploadLimit(deps.config);
  // The limit named to the user is Telegram's (a test may lower the threshold itself).
  const telegramMb = Math.round(telegramUploadLimit(deps.config) / 1048576);
  const now = deps.now ?? Date.now;
  const slots = new Map<string, Slot>();
  const delivered = new Set<string>();
  const reported = new Set<string>();

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

  async function deliver(job: JobView, chatId: string, lang: Lang): Promise<void> {
    const api = deps.api();
    const jobs = deps.jobs();
    if (job.kind === "measure") {
      await api.sendMessage(chatId, analysisReport(lang, job.id, job.analysis_before));
      return;
    }
    const file = jobs?.resultFile(job.id);
    if (!file) {
      await api.sendMessage(chatId, t(lang, "bot_result_gone", { id: job.id }));
      return;
    }
    const caption = resultCaption(lang, job);
    const keyboard = resultKeyboard(lang, job.id);
    if (file.bytes > uploadLimit) {
      const token = jobs?.accessToken(job.id);
      if (!token) throw new Error(`no access token for task ${job.id}`);
      const link = resultLink(deps.config, job.id, token);
      await api.sendMessage(
        chatId,
        `${caption}\n\n${t(lang, "bot_result_link", { id: job.id, link, mb: Math.round(file.bytes / 1048576), limit: telegramMb })}`,
        {
          reply_markup: keyboard,
          link_preview_options: { is_disabled: true },
        },
      );
      return;
    }
    await api.sendChatAction(chatId, "upload_document").catch(() => undefined);
    // From a bucket the document is streamed to Telegram as it is read (no copy on this node).
    const source = jobs && jobs.files.kind !== "local" ? jobs.files.stream(file.path) : file.path;
    await api.sendDocument(chatId, new InputFile(source, file.name), { caption, reply_markup: keyboard });
  }

  /** Once every track of an album batch is final (this one last), its album report, once per batch. */
  async function albumDone(job: JobView, chatId: string): Promise<void> {
    const batchId = job.batch_id;
    const jobs = deps.jobs();
    if (!batchId || job.settings.album !== true || !jobs || reported.has(batchId)) return;
    const tracks = jobs.listByBatch(batchId);
    if (tracks.length === 0 || !tracks.every((x) => isFinal(x.status))) return;
    reported.add(batchId);
    if (reported.size > 1000) reported.delete(reported.values().next().value ?? "");
    const token = batchToken(tracks.map((x) => jobs.accessToken(x.id) ?? ""));
    const text = albumReportText(job.lang, tracks, batchZipLink(deps.config, batchId, token));
    await deps.api().sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
    deps.log.info("bot_album_reported", "", { task_id: job.id, batch_id: batchId, tracks: tracks.length });
  }

  async function finish(job: JobView): Promise<void> {
    const chatId = job.bot_chat_id;
    if (!chatId || delivered.has(job.id)) return;
    delivered.add(job.id);
    // The row decides who sends: another leader (or this one's catch-up) may have claimed it already.
    if (!deps.jobs()?.claimBotDelivery(job.id)) return;
    if (delivered.size > 1000) delivered.delete(delivered.values().next().value ?? "");
    const log = deps.log.child({ task_id: job.id, user_id: job.user_id });
    try {
      if (job.status === "done") await deliver(job, chatId, job.lang);
      log.info("bot_task_delivered", "", { status: job.status });
    } catch (err) {
      const c = classifyTelegramError(err);
      log.warn("bot_delivery_failed", c.description, { kind: c.kind, error_code: c.code });
      if (c.kind !== "blocked")
        await deps
          .api()
          .sendMessage(chatId, t(job.lang, "bot_delivery_failed", { id: job.id }))
          .catch(() => undefined);
    }
    await albumDone(job, chatId).catch((err: unknown) =>
      log.warn("bot_album_report_failed", classifyTelegramError(err).description, {}),
    );
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
    if (final && e.type === "state") void finish(job);
  }

  return {
    attach(jobs) {
      return jobs.onEvent(handle);
    },
    handle,
    deliver,
    catchUp() {
      const due = deps.jobs()?.botDeliveriesDue() ?? [];
      for (const job of due) handle({ type: "state", job });
      return due.length;
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
  };
}
