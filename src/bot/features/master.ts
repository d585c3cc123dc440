// Mastering: a file arrives (audio, voice or document) → style keyboard → format keyboard → task queued.
// The format step's first buttons (platform, intensity, reference) open their own steps and come back
// (master-steps.ts), so the default stays two taps (style, format). Several files sent together (one
// media group, or within ALBUM_WINDOW_MS before any choice) become a group: "Album" or "Each on its own",
// then the same two steps for all. While the reference step is open, the next file is a reference. Every
// choice lives in the SQLite session, so it survives a restart. Also the buttons under a result: another
// style, other format, analyse result. Files are referenced by Telegram file id and downloaded only when
// the task is submitted.

import { Composer } from "grammy";
import { ALBUM_MAX_TRACKS, MAX_REFERENCES } from "../../audio";
import type { BotContext, PendingFile, RecentInput } from "../context";
import { type IntakeInput, looksLikeAudio, submitFromTelegram, submitGroup, tooBigText } from "../intake";
import { groupKeyboard, isPresetId, menuLabels, presetKeyboard, styleKeyboard } from "../keyboards";
import { analysisReport } from "../report";
import { type BotServices, ownerKeyOf } from "../services";
import { botLimitMb } from "../telegram-files";
import { referenceStep } from "./master-steps";
import {
  formatStep,
  isFormat,
  isGroup,
  isStyle,
  pendingFor,
  pendingName,
  settingsOf,
  stale,
  styleStep,
  tracksOf,
} from "./pending";

export { stale } from "./pending";

const MAX_RECENT = 10;
/** Files sent within this long of the previous one, before any choice, join it as a group. */
export const ALBUM_WINDOW_MS = 60_000;

/** Remembers what a task was made from, so its result buttons can start again without a new upload. */
export function rememberInput(ctx: BotContext, r: RecentInput): void {
  const list = (ctx.session.recent ?? []).filter((x) => x.jobId !== r.jobId);
  ctx.session.recent = [r, ...list].slice(0, MAX_RECENT);
}

/** Drops the keyboard of a step message that a newer one replaces (its buttons would answer "expired"). */
async function retireKeyboard(ctx: BotContext, messageId: number | undefined): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined || messageId === undefined) return;
  await ctx.api.editMessageReplyMarkup(chatId, messageId).catch(() => undefined);
}

export function masterFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const askFile = (ctx: BotContext) => {
    ctx.session.mode = "master";
    return ctx.reply(ctx.mm.t("bot_send_file", { mb: botLimitMb(svc.config) }));
  };
  c.command("master", askFile);
  c.hears(menuLabels("bot_menu_master"), askFile);

  /** A file sent with the pending one joins it: same media group, or soon after and before any choice. */
  const joins = (p: PendingFile, mediaGroupId: string | undefined): boolean =>
    (mediaGroupId !== undefined && p.mediaGroupId === mediaGroupId) ||
    (p.style === undefined && !p.references?.length && svc.now() - p.at <= ALBUM_WINDOW_MS);

  /** Adds `input` to the pending group and shows the group's choice (album or each on its own). */
  async function addToGroup(ctx: BotContext, p: PendingFile, input: IntakeInput, mediaGroupId?: string) {
    if (tracksOf(p).length >= ALBUM_MAX_TRACKS)
      return ctx.reply(ctx.mm.t("bot_group_full", { max: ALBUM_MAX_TRACKS, name: input.name }));
    p.extra = [...(p.extra ?? []), input];
    p.group = undefined;
    p.at = svc.now();
    const tracks = tracksOf(p);
    const text = ctx.mm.t("bot_group_received", {
      count: tracks.length,
      list: tracks.map((t, i) => `${i + 1}. ${t.name}`).join("\n"),
      max: ALBUM_MAX_TRACKS,
    });
    const chatId = ctx.chat?.id;
    // One media group: the same message is edited as its files arrive. Files sent one by one: the choice
    // moves under the newest file.
    if (
      mediaGroupId !== undefined &&
      p.mediaGroupId === mediaGroupId &&
      chatId !== undefined &&
      p.messageId
    ) {
      const edited = await ctx.api
        .editMessageText(chatId, p.messageId, text, { reply_markup: groupKeyboard(ctx.mm.lang) })
        .then(() => true)
        .catch(() => false);
      if (edited) return;
    }
    await retireKeyboard(ctx, p.messageId);
    const msg = await ctx.reply(text, { reply_markup: groupKeyboard(ctx.mm.lang) });
    p.messageId = msg.message_id;
  }

  /** The reference step is open: `input` is one more reference track. */
  async function addReference(ctx: BotContext, p: PendingFile, input: IntakeInput) {
    const refs = p.references ?? [];
    if (refs.length >= MAX_REFERENCES)
      return ctx.reply(ctx.mm.t("bot_reference_full", { max: MAX_REFERENCES }));
    p.references = [...refs, input];
    await retireKeyboard(ctx, p.messageId);
    const msg = await ctx.reply(...referenceStep(ctx, p));
    p.messageId = msg.message_id;
  }

  c.on(["message:audio", "message:voice", "message:document"], async (ctx) => {
    const m = ctx.message;
    const f = m.audio ?? m.voice ?? m.document;
    if (!f) return;
    const name =
      ("file_name" in f && f.file_name) ||
      (m.voice ? `voice_${m.date}.ogg` : `audio_${m.date}.${extFromMime(f.mime_type)}`);
    if (!looksLikeAudio(name, f.mime_type)) return ctx.reply(ctx.mm.t("bot_not_audio", { name }));
    const size = f.file_size ?? 0;
    const input = { fileId: f.file_id, name, size };
    const refusal = tooBigText(ctx, svc, input);
    if (refusal) return ctx.reply(refusal, { link_preview_options: { is_disabled: true } });
    if (ctx.session.mode === "analyze") {
      ctx.session.mode = undefined;
      await submitFromTelegram(ctx, svc, input, "measure", {});
      return;
    }
    const p = ctx.session.pending;
    const mediaGroupId = m.media_group_id;
    if (p?.awaitingReference) return addReference(ctx, p, input);
    if (p && joins(p, mediaGroupId)) return addToGroup(ctx, p, input, mediaGroupId);
    const next: PendingFile = { ...input, mediaGroupId, at: svc.now() };
    const msg = await ctx.reply(...styleStep(ctx, next));
    ctx.session.pending = { ...next, messageId: msg.message_id };
  });

  c.callbackQuery(/^st:([a-z0-9_-]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const style = ctx.match[1] ?? "";
    if (!p || !isStyle(style) || (isGroup(p) && !p.group)) return stale(ctx);
    p.style = style;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  // The platform step: opened from the format step, returns to it with the choice shown on its button.
  c.callbackQuery("pk", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.mm.t("bot_choose_preset", { name: pendingName(ctx, p) }), {
      reply_markup: presetKeyboard(ctx.mm.lang, p.preset),
    });
  });

  c.callbackQuery(/^ps:([a-z0-9-]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const preset = ctx.match[1] ?? "";
    if (!p || (preset !== "style" && !isPresetId(preset))) return stale(ctx);
    p.preset = preset === "style" ? undefined : preset;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  c.callbackQuery("pb", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  c.callbackQuery("bk", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    p.style = undefined;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...styleStep(ctx, p));
  });

  c.callbackQuery(/^fm:([a-z0-9]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const format = ctx.match[1] ?? "";
    if (!p || !isFormat(format)) return stale(ctx);
    // A press replayed after a leader's death may be answered already: the choice still counts.
    await ctx.answerCallbackQuery().catch(() => undefined);
    ctx.session.pending = undefined;
    const settings = settingsOf(p, format);
    const tracks = tracksOf(p);
    const jobs = isGroup(p)
      ? await submitGroup(ctx, svc, tracks, "master", settings, { messageId: p.messageId, batch: true })
      : await submitGroup(ctx, svc, tracks, "master", settings, {
          messageId: p.messageId,
          references: p.references,
        });
    jobs.forEach((job, i) => {
      const t = tracks[i] ?? tracks[0];
      if (!t) return;
      rememberInput(ctx, {
        jobId: job.id,
        ...t,
        style: p.style ?? "auto",
        preset: p.preset && isPresetId(p.preset) ? p.preset : undefined,
        format,
        intensity: p.intensity,
        ...(isGroup(p) ? {} : { references: p.references, match: p.match }),
      });
    });
  });

  c.callbackQuery("an", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    ctx.session.pending = undefined;
    await submitGroup(ctx, svc, tracksOf(p), "measure", {}, { messageId: p.messageId });
  });

  // Buttons under a result. Old results whose input the session no longer knows answer "send it again".
  const recentFor = (ctx: BotContext, jobId: string) => ctx.session.recent?.find((r) => r.jobId === jobId);
  const again = (r: RecentInput, keepStyle: boolean): PendingFile => ({
    fileId: r.fileId,
    name: r.name,
    size: r.size,
    style: keepStyle ? r.style : undefined,
    preset: r.preset,
    intensity: r.intensity,
    references: r.references,
    match: r.match,
    at: svc.now(),
  });

  c.callbackQuery(/^rs:([A-Z0-9]+)$/, async (ctx) => {
    const r = recentFor(ctx, ctx.match[1] ?? "");
    if (!r) return stale(ctx);
    await ctx.answerCallbackQuery();
    const next = again(r, false);
    const msg = await ctx.reply(ctx.mm.t("bot_choose_style", { name: r.name }), {
      reply_markup: styleKeyboard(ctx.mm.lang),
    });
    ctx.session.pending = { ...next, messageId: msg.message_id };
  });

  c.callbackQuery(/^rf:([A-Z0-9]+)$/, async (ctx) => {
    const r = recentFor(ctx, ctx.match[1] ?? "");
    if (!r) return stale(ctx);
    await ctx.answerCallbackQuery();
    const next = again(r, true);
    const msg = await ctx.reply(...formatStep(ctx, next));
    ctx.session.pending = { ...next, messageId: msg.message_id };
  });

  c.callbackQuery(/^ra:([A-Z0-9]+)$/, async (ctx) => {
    const job = svc.jobs.get(ctx.match[1] ?? "");
    if (!job || job.owner_key !== ownerKeyOf(ctx.mm.user)) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.reply(analysisReport(ctx.mm.lang, job.id, job.analysis_after, "bot_analysis_result_title"));
  });

  return c;
}

function extFromMime(mime: string | undefined): string {
  if (!mime) return "bin";
  const map: Record<string, string> = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/aac": "aac",
    "audio/aiff": "aiff",
    "audio/x-aiff": "aiff",
  };
  return map[mime] ?? "bin";
}
