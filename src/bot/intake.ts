// From Telegram file ids to queued jobs: stream each file from the Bot API (or, with a local Bot API
// server, from its disk) straight into the uploads folder (never RAM, never the session), validate it,
// submit it, and turn the task's message into "Task #ID queued, position N". The same path serves new
// files, "another style / other format", a track with reference files and a group of tracks (an album
// or a batch with the same settings), which is submitted all or nothing.

import { randomUUID } from "node:crypto";
import type { Caller } from "../accounts";
import type { MasterSettings } from "../audio";
import { toAppError } from "../errors";
import {
  type Admission,
  admissionFor,
  checkDiskBeforeUpload,
  discardFiles,
  sanitizeFilename,
  storeUpload,
  validateAudio,
} from "../files";
import { errorMessage } from "../i18n";
import { type JobKind, type JobView, submitAll } from "../jobs";
import type { BotContext } from "./context";
import { statusText } from "./report";
import { type BotServices, ownerKeyOf, uploadLink } from "./services";
import { isLocalApi, openTelegramFile, telegramDownloadLimit } from "./telegram-files";

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

/** The refusal of a file above what the bot may take (Telegram's 20 MB, or the local server's limits). */
export function tooBigText(ctx: BotContext, svc: BotServices, input: IntakeInput): string | undefined {
  const limit = telegramDownloadLimit(svc.config, input.name);
  if (input.size <= limit) return undefined;
  const mb = Math.round(input.size / 1048576);
  const link = uploadLink(svc.config);
  return isLocalApi(svc.config)
    ? ctx.mm.t("bot_file_too_big", { name: input.name, mb, limit: Math.floor(limit / 1048576), link })
    : ctx.mm.t("bot_file_too_big_for_telegram", { name: input.name, mb, link });
}

/** One file of a submission on its way in: its message and, once downloaded and validated, its upload. */
type Incoming = { input: IntakeInput; messageId: number; path?: string; bytes?: number; name: string };

/** Streams `item` into uploads and validates it; `item.path` is set as soon as bytes are on disk. */
async function fetchInto(ctx: BotContext, svc: BotServices, item: Incoming, admission: Admission) {
  const { body } = await openTelegramFile(ctx.api, svc.config, item.input.fileId);
  const stored = await storeUpload(body, {
    dir: svc.layout.uploads,
    maxBytes: telegramDownloadLimit(svc.config, item.name),
    originalName: item.name,
  });
  item.path = stored.path;
  item.bytes = stored.bytes;
  await validateAudio(stored.path, item.name, admission);
}

export type SubmitOptions = {
  /** The message to edit into the first task's status (the keyboard message). */
  messageId?: number;
  /** Reference tracks for the (single) master. */
  references?: readonly IntakeInput[];
  /** Several tracks: one batch (an album when settings.album is true). */
  batch?: boolean;
};

/**
 * Downloads, validates and submits `inputs` (one job each, all or nothing). On success each task's
 * message shows "queued, position N" and is registered for progress edits; on failure the user sees why
 * (the file name, no task exists yet) and no upload is left on disk.
 */
export async function submitGroup(
  ctx: BotContext,
  svc: BotServices,
  inputs: readonly IntakeInput[],
  kind: JobKind,
  settings: MasterSettings,
  o: SubmitOptions = {},
): Promise<JobView[]> {
  const { lang, user } = ctx.mm;
  const chatId = ctx.chat?.id;
  const from = ctx.from;
  if (chatId === undefined || !from || inputs.length === 0) return [];
  const log = svc.log.child({ user_id: user.id });
  // One key per track of this update: a leader killed after making the jobs but before Telegram heard the
  // update confirmed leaves it pending, and the next leader gets it again: it finds the jobs, makes none.
  // A group's jobs are written in one transaction (submitAll), so it finds all of them or none.
  const updateId = ctx.update.update_id;
  const keyOf = (i: number) => `${chatId}:${updateId}:${i}`;
  const made = inputs.flatMap((_, i) => svc.jobs.byBotUpdate(keyOf(i)) ?? []);
  if (made.length > 0) {
    log.info("bot_update_replayed", "", { update_id: updateId, task_id: made[0]?.id, jobs: made.length });
    for (const job of made) await svc.tracker.showNow(job, statusText(lang, job));
    ctx.mm.taskId = made[0]?.id;
    return made;
  }
  const caller: Caller = {
    kind: "user",
    userId: user.id,
    tier: user.tier,
    isAdmin: user.isAdmin,
    via: "bot",
    ownerKey: ownerKeyOf(user),
  };
  const refs = o.references ?? [];
  for (const input of [...inputs, ...refs]) {
    const refusal = tooBigText(ctx, svc, input);
    if (refusal) {
      await say(ctx, refusal, o.messageId);
      return [];
    }
  }
  // Each track has its own task message (progress, result); references share the first one's.
  const tracks: Incoming[] = [];
  for (const [i, input] of inputs.entries()) {
    const name = sanitizeFilename(input.name);
    const messageId = await say(
      ctx,
      ctx.mm.t("bot_downloading", { name: input.name }),
      i === 0 ? o.messageId : undefined,
    );
    tracks.push({ input, messageId, name });
  }
  const first = tracks[0] as Incoming;
  const references: Incoming[] = refs.map((input) => ({
    input,
    messageId: first.messageId,
    name: sanitizeFilename(input.name),
  }));
  const all = [...tracks, ...references];
  let current = first;
  const sizes = inputs.map((i) => i.size).filter((b) => b > 0);
  // The same caps and disk check as the web upload, so the refusal reads the same.
  const admission = admissionFor(svc.config, { kind, settings, dir: svc.layout.uploads });
  const ask = { kind, settings, count: inputs.length, batch: o.batch === true };
  try {
    const declared = all.reduce(
      (n, t) => n + (t.input.size > 0 ? t.input.size : telegramDownloadLimit(svc.config, t.name)),
      0,
    );
    checkDiskBeforeUpload(admission, declared);
    svc.jobs.assertQueueRoom(ownerKeyOf(user), inputs.length); // a full queue: say so before downloading anything
    // Out of masters or tokens, a style the tier lacks: said before a byte is downloaded.
    svc.tiers?.check(caller, { ...ask, bytes: sizes });
    for (const item of all) {
      current = item;
      await fetchInto(ctx, svc, item, admission);
    }
    // Read again after the download: a /link that merged this user meanwhile must own the jobs.
    const owner = svc.accounts.findByTelegramId(from.id) ?? user;
    const ownerCaller = { ...caller, userId: owner.id, tier: owner.tier, ownerKey: ownerKeyOf(owner) };
    const batchId = o.batch ? randomUUID().slice(0, 8) : undefined;
    const referencePaths = references.map((r) => r.path as string);
    let priority: number | undefined;
    const jobs = await submitAll(
      svc.jobs,
      tracks.map((t) => ({ ...t, path: t.path as string })),
      (t, i) => ({
        priority,
        botUpdateKey: keyOf(i),
        ownerKey: ownerKeyOf(owner),
        userId: owner.id,
        source: "bot",
        kind,
        inputPath: t.path,
        inputBytes: t.bytes ?? 0,
        originalName: t.name,
        settings,
        lang,
        botChatId: String(chatId),
        botMessageId: t.messageId,
        ...(batchId ? { batchId } : {}),
        ...(referencePaths.length ? { referencePaths } : {}),
      }),
      () => {
        priority = svc.tiers?.check(ownerCaller, { ...ask, bytes: tracks.map((t) => t.bytes ?? 0) }).priority;
      },
    ).catch(async (err: unknown) => {
      // Submit moves references beside the input and removes them on refusal; before that they are ours.
      await discardFiles(referencePaths);
      throw err;
    });
    for (const job of jobs) {
      log.info("bot_task_submitted", "", {
        task_id: job.id,
        kind,
        style: settings.style,
        preset: settings.preset,
        format: settings.format,
        intensity: settings.intensity,
        references: referencePaths.length,
        batch_id: batchId,
        album: settings.album === true,
      });
      await svc.tracker.showNow(job, statusText(lang, job));
    }
    const firstJob = jobs[0];
    if (firstJob) ctx.mm.taskId = firstJob.id;
    return jobs;
  } catch (err) {
    await discardFiles(all.flatMap((t) => (t.path ? [t.path] : [])));
    // A full disk or a locked database reads as its own reason (insufficient_storage, database_busy).
    const known = toAppError(err);
    const code = known.code;
    if (code === "internal_error")
      log.error("bot_intake_error", err instanceof Error ? err.message : String(err), { name: current.name });
    else log.info("bot_intake_rejected", code, { code, name: current.name });
    const reason = errorMessage(lang, code, code === "internal_error" ? {} : known.params);
    const text = ctx.mm.t("bot_intake_failed", { name: current.name, reason });
    await say(ctx, text, first.messageId);
    // The other tracks' messages say the group was not taken (the first one says why).
    for (const t of tracks.slice(1))
      await say(ctx, ctx.mm.t("bot_group_not_taken", { name: t.name, first: current.name }), t.messageId);
    return [];
  }
}

/** One file (and its references) to one job; undefined when it was refused (the user was told why). */
export async function submitFromTelegram(
  ctx: BotContext,
  svc: BotServices,
  input: IntakeInput,
  kind: JobKind,
  settings: MasterSettings,
  messageId?: number,
  references?: readonly IntakeInput[],
): Promise<JobView | undefined> {
  const [job] = await submitGroup(ctx, svc, [input], kind, settings, { messageId, references });
  return job;
}
