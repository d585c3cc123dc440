// A finished bot task's result, sent to its chat: the document (or a link above the upload limit), the
// analysis, or nothing more than the final status edit — and an album's report once its last track's
// result is settled (bot_album_reports: the same claim, lease and settle). Durable and at least once:
// the row is claimed (a lease of this node, jobs' claimBotDelivery), the result sent, and only after
// Telegram answered ok is it marked sent. A leader killed between the claim and that answer leaves the
// claim to a dead node, and the next leader sends it again: a duplicate is possible only in that window,
// chosen over a lost result. A failed send is recorded on the row and retried by the catch-up passes; a
// permanent error (4xx: blocked, too big) or the attempt bound gives up.

import { type Api, InlineKeyboard, InputFile } from "grammy";
import type { Config } from "../config";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { type AlbumReportDue, batchToken, type JobService, type JobView } from "../jobs";
import type { Logger } from "../log";
import { type ClassifiedError, classifyTelegramError } from "../notify";
import { albumReportText } from "./album-report";
import { analysisReport, resultCaption } from "./report";
import { batchZipLink, resultLink } from "./services";
import { telegramUploadLimit } from "./telegram-files";

/** Sends of one result before it is given up (each claim counts, a dead leader's too). */
export const MAX_DELIVERY_ATTEMPTS = 5;

export type DeliveryDeps = {
  api: () => Api;
  jobs: () => JobService | undefined;
  config: Pick<Config, "MM_PUBLIC_URL" | "MM_TELEGRAM_LOCAL_API">;
  log: Logger;
  /** Results above this many bytes go out as a download link (default: the Bot API's upload limit). */
  uploadLimitBytes?: number;
};

export type ResultDelivery = {
  /** Sends the result of a done job to `chatId` (also /status's second copy: no claim). */
  deliver(job: JobView, chatId: string, lang: Lang): Promise<void>;
  /** Claims a finished bot job's delivery and sends it; nothing if another sender holds it or it was sent. */
  finish(job: JobView): Promise<void>;
  /** Claims an album report that is due (the catch-up's find) and sends it; nothing if not ours to send. */
  finishAlbum(album: AlbumReportDue): Promise<void>;
  /** Resolves once the sends under way now have settled their rows (a stopping service awaits it). */
  idle(): Promise<void>;
};

/** Buttons under a result: another style, other format, analyse result. */
export function resultKeyboard(lang: Lang, jobId: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(lang, "bot_btn_another_style"), `rs:${jobId}`)
    .text(t(lang, "bot_btn_other_format"), `rf:${jobId}`)
    .row()
    .text(t(lang, "bot_btn_analyse_result"), `ra:${jobId}`);
}

/** Telegram refused this send for good (4xx other than a rate limit): retrying it changes nothing. */
const permanent = (c: ClassifiedError) =>
  c.kind === "blocked" || (c.code !== null && c.code >= 400 && c.code < 500 && c.code !== 429);

/** A failed send as the row records it: the error line and whether to give up now. */
function failedSend(err: unknown) {
  const c = classifyTelegramError(err);
  const error = `${c.code ?? c.kind}: ${c.description}`.slice(0, 500);
  const outcome = { ok: false as const, error, giveUp: permanent(c), maxAttempts: MAX_DELIVERY_ATTEMPTS };
  return { c, outcome };
}

export function createResultDelivery(deps: DeliveryDeps): ResultDelivery {
  const uploadLimit = deps.uploadLimitBytes ?? telegramUploadLimit(deps.config);
  // The limit named to the user is Telegram's (a test may lower the threshold itself).
  const telegramMb = Math.round(telegramUploadLimit(deps.config) / 1048576);
  /**
   * Sends under way in this process, by job (a live event and a catch-up pass for the same job send once),
   * each a promise that never rejects: the service's stop awaits them before it closes the database.
   */
  const sending = new Map<string, Promise<void>>();

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

  /**
   * An album's report, once per batch and durable like a result: its row is claimed only when every track
   * is final with its own result settled (so it comes after the last one), and marked sent only after
   * Telegram answered ok; a failed or interrupted send is left due for the catch-up passes.
   */
  async function sendAlbumReport(batchId: string, chatId: string, jobs: JobService): Promise<void> {
    if (!jobs.claimAlbumReport(batchId)) return;
    const tracks = jobs.listByBatch(batchId);
    const first = tracks[0];
    const log = deps.log.child({
      task_id: first?.id ?? "",
      user_id: first?.user_id ?? null,
      batch_id: batchId,
    });
    try {
      const token = batchToken(tracks.map((x) => jobs.accessToken(x.id) ?? ""));
      const text = albumReportText(first?.lang ?? "en", tracks, batchZipLink(deps.config, batchId, token));
      await deps.api().sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
    } catch (err) {
      const { c, outcome } = failedSend(err);
      const s = jobs.settleAlbumReport(batchId, outcome);
      const fields = { kind: c.kind, error_code: c.code, attempts: s?.attempts ?? null };
      if (s?.state === "failed")
        log.error("bot_album_report_failed", c.description, { ...fields, gave_up: true });
      else log.warn("bot_album_report_retry", c.description, fields);
      return;
    }
    const s = jobs.settleAlbumReport(batchId, { ok: true });
    log.info("bot_album_reported", "", { tracks: tracks.length, attempts: s?.attempts ?? null });
  }

  /** After a track's result settled: its album's report, if this was the last one owed. */
  async function albumAfter(job: JobView, chatId: string, jobs: JobService): Promise<void> {
    if (job.batch_id && job.settings.album === true) await sendAlbumReport(job.batch_id, chatId, jobs);
  }

  /** Runs one send, kept by `key` until it settled (a stopping service awaits it); logs a settle failure. */
  function track(key: string, fields: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
    const sent = work()
      .catch((err: unknown) => {
        // The row could not be settled (the database failed, or closed under a stop that waited past
        // its bound): the claim stays, its lease runs out and the next leader sends again (at least once).
        deps.log.warn("bot_delivery_settle_failed", String(err), { ...fields, error: String(err) });
      })
      .finally(() => sending.delete(key));
    sending.set(key, sent);
    return sent;
  }

  async function send(job: JobView, chatId: string, jobs: JobService): Promise<void> {
    const log = deps.log.child({ task_id: job.id, user_id: job.user_id });
    try {
      if (job.status === "done") await deliver(job, chatId, job.lang);
    } catch (err) {
      const { c, outcome } = failedSend(err);
      const s = jobs.settleBotDelivery(job.id, outcome);
      const fields = { kind: c.kind, error_code: c.code, attempts: s?.attempts ?? null };
      if (s?.state !== "failed") {
        // Pending again: the leader's next catch-up pass sends it.
        log.warn("bot_delivery_retry", c.description, fields);
        return;
      }
      log.error("bot_delivery_failed", c.description, { ...fields, gave_up: true });
      if (c.kind !== "blocked")
        await deps
          .api()
          .sendMessage(chatId, t(job.lang, "bot_delivery_failed", { id: job.id }))
          .catch(() => undefined);
      await albumAfter(job, chatId, jobs);
      return;
    }
    // Telegram answered ok. A kill between that answer and this write sends it once more (at least once).
    const s = jobs.settleBotDelivery(job.id, { ok: true });
    log.info("bot_task_delivered", "", { status: job.status, attempts: s?.attempts ?? null });
    await albumAfter(job, chatId, jobs);
  }

  return {
    deliver,
    async finish(job) {
      const chatId = job.bot_chat_id;
      const jobs = deps.jobs();
      if (!chatId || !jobs || sending.has(job.id)) return;
      // The row decides who sends: another leader (or this one's catch-up) may hold or have sent it.
      if (!jobs.claimBotDelivery(job.id)) return;
      await track(job.id, { task_id: job.id, user_id: job.user_id }, () => send(job, chatId, jobs));
    },
    async finishAlbum(album) {
      const jobs = deps.jobs();
      const key = `album:${album.batchId}`;
      if (!jobs || sending.has(key)) return;
      await track(key, { batch_id: album.batchId }, () => sendAlbumReport(album.batchId, album.chatId, jobs));
    },
    async idle() {
      await Promise.all([...sending.values()]);
    },
  };
}
