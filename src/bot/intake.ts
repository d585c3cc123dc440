// From a Telegram file id to a queued job: stream the file from the Bot API straight into the uploads
// folder (never RAM, never the session), validate it, submit it, and turn the task's message into
// "Task #ID queued, position N". The same path serves new files and "another style / other format".

import { rm } from "node:fs/promises";
import type { Caller } from "../accounts";
import type { MasterSettings } from "../audio";
import { toAppError } from "../errors";
import { admissionFor, checkDiskBeforeUpload, sanitizeFilename, storeUpload, validateAudio } from "../files";
import { errorMessage } from "../i18n";
import type { JobKind, JobView } from "../jobs";
import type { BotContext } from "./context";
import { statusText } from "./report";
import { type BotServices, ownerKeyOf, TELEGRAM_DOWNLOAD_LIMIT, uploadLink } from "./services";

export type IntakeInput = { fileId: string; name: string; size: number };

/** Extensions the bot accepts (the content is still sniffed and probed after download). */
export const AUDIO_EXTENSIONS = [
  "wav",
  "wave",
  "mp3",
  "flac",
  "m4a",
  "aac",
  "mp4",
  "ogg",
  "oga",
  "opus",
  "aif",
  "aiff",
];

/** True when a file name or MIME type looks like audio we can take. */
export function looksLikeAudio(name: string, mime: string | undefined): boolean {
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return AUDIO_EXTENSIONS.includes(ext) || (mime?.startsWith("audio/") ?? false);
}

/** Sends `text` as a new message, or edits `messageId` into it; returns the message id. */
export async function say(ctx: BotContext, text: string, messageId?: number): Promise<number> {
  const chatId = ctx.chat?.id;
  if (messageId !== undefined && chatId !== undefined) {
    try {
      await ctx.api.editMessageText(chatId, messageId, text);
      return messageId;
    } catch {
      // The keyboard message may be gone (deleted by the user); fall through to a new message.
    }
  }
  const m = await ctx.reply(text);
  return m.message_id;
}

/**
 * Downloads, validates and submits. On success the task's message shows "queued, position N" and is
 * registered for progress edits; on failure the user sees why (the file name, no task exists yet).
 */
export async function submitFromTelegram(
  ctx: BotContext,
  svc: BotServices,
  input: IntakeInput,
  kind: JobKind,
  settings: MasterSettings,
  messageId?: number,
): Promise<JobView | undefined> {
  const { lang, user } = ctx.mm;
  const chatId = ctx.chat?.id;
  const from = ctx.from;
  if (chatId === undefined || !from) return undefined;
  const log = svc.log.child({ user_id: user.id });
  const caller: Caller = {
    kind: "user",
    userId: user.id,
    tier: user.tier,
    isAdmin: user.isAdmin,
    via: "bot",
    ownerKey: ownerKeyOf(user),
  };
  if (input.size > TELEGRAM_DOWNLOAD_LIMIT) {
    await say(
      ctx,
      t2(ctx, "bot_file_too_big_for_telegram", {
        name: input.name,
        mb: Math.round(input.size / 1048576),
        link: uploadLink(svc.config),
      }),
      messageId,
    );
    return undefined;
  }
  const msgId = await say(ctx, t2(ctx, "bot_downloading", { name: input.name }), messageId);
  const originalName = sanitizeFilename(input.name);
  let path: string | undefined;
  // The same caps and disk check as the web upload, so the refusal reads the same.
  const admission = admissionFor(svc.config, { kind, settings, dir: svc.layout.uploads });
  try {
    checkDiskBeforeUpload(admission, input.size > 0 ? input.size : TELEGRAM_DOWNLOAD_LIMIT);
    svc.jobs.assertQueueRoom(ownerKeyOf(user)); // a full queue: say so before downloading anything
    // Out of masters or tokens, a style the tier lacks: said before a byte is downloaded.
    svc.tiers?.check(caller, { kind, settings, bytes: input.size > 0 ? [input.size] : [] });
    const file = await ctx.api.getFile(input.fileId);
    if (!file.file_path) throw new Error("getFile returned no file_path");
    const root = svc.config.MM_TELEGRAM_API_ROOT.replace(/\/+$/, "");
    const res = await fetch(`${root}/file/bot${svc.config.MM_BOT_TOKEN}/${file.file_path}`);
    if (!res.ok || !res.body) throw new Error(`file download answered ${res.status}`);
    const stored = await storeUpload(res.body, {
      dir: svc.layout.uploads,
      maxBytes: TELEGRAM_DOWNLOAD_LIMIT,
      originalName,
    });
    path = stored.path;
    await validateAudio(stored.path, originalName, admission);
    // Read again after the download: a /link that merged this user meanwhile must own the job.
    const owner = svc.accounts.findByTelegramId(from.id) ?? user;
    const admitted = svc.tiers?.check(
      { ...caller, userId: owner.id, tier: owner.tier, ownerKey: ownerKeyOf(owner) },
      { kind, settings, bytes: [stored.bytes] },
    );
    const job = await svc.jobs.submitUpload({
      priority: admitted?.priority,
      ownerKey: ownerKeyOf(owner),
      userId: owner.id,
      source: "bot",
      kind,
      inputPath: stored.path,
      inputBytes: stored.bytes,
      originalName,
      settings,
      lang,
      botChatId: String(chatId),
      botMessageId: msgId,
    });
    path = undefined;
    ctx.mm.taskId = job.id;
    log.info("bot_task_submitted", "", {
      task_id: job.id,
      kind,
      style: settings.style,
      preset: settings.preset,
      format: settings.format,
    });
    await svc.tracker.showNow(job, statusText(lang, job));
    return job;
  } catch (err) {
    if (path) await rm(path, { force: true }).catch(() => undefined);
    // A full disk or a locked database reads as its own reason (insufficient_storage, database_busy).
    const known = toAppError(err);
    if (known.code !== "internal_error") {
      log.info("bot_intake_rejected", known.code, { code: known.code, name: originalName });
      await say(
        ctx,
        t2(ctx, "bot_intake_failed", {
          name: originalName,
          reason: errorMessage(lang, known.code, known.params),
        }),
        msgId,
      );
      return undefined;
    }
    log.error("bot_intake_error", err instanceof Error ? err.message : String(err), { name: originalName });
    await say(
      ctx,
      t2(ctx, "bot_intake_failed", { name: originalName, reason: errorMessage(lang, "internal_error") }),
      msgId,
    );
    return undefined;
  }
}

function t2(ctx: BotContext, key: string, params: Record<string, string | number>): string {
  return ctx.mm.t(key, params);
}
