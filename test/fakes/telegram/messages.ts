// The fake's chat memory: every message sent by the bot or by a user, per-chat message ids, and the edit
// rules of the real API (not modified, nothing to edit, not the bot's message).

import {
  ApiFailure,
  BOT_ID,
  type FakeMessage,
  type FakeUser,
  type Json,
  notModified,
  now,
  requireString,
  toNum,
} from "./types";

type Content = { text?: string; caption?: string; document?: FakeMessage["document"] };

export class MessageBook {
  readonly all: FakeMessage[] = [];
  private counter = new Map<number, number>();

  constructor(private readonly bot: { first_name: string; username: string }) {}

  private nextId(chatId: number): number {
    const n = (this.counter.get(chatId) ?? 0) + 1;
    this.counter.set(chatId, n);
    return n;
  }

  /** A message from `user` (in its private chat unless `chatId`), remembered and returned for an update. */
  fromUser(user: FakeUser, extra: Json, chatId = user.id): Json {
    const message_id = this.nextId(chatId);
    const chat =
      chatId === user.id
        ? { id: user.id, type: "private", first_name: user.first_name, username: user.username }
        : { id: chatId, type: chatId < 0 ? "group" : "private", title: "Group" };
    const message: Json = { message_id, date: now(), chat, from: user, ...extra };
    this.all.push({
      message_id,
      chat_id: chatId,
      from_bot: false,
      date: now(),
      text: typeof extra.text === "string" ? extra.text : undefined,
      history: [],
      edits: 0,
      deleted: false,
      raw: message,
    });
    return message;
  }

  /** A message the bot sends to `p.chat_id`; returns it as the API does. */
  send(p: Json, content: Content): Json {
    const chatId = toNum(p.chat_id);
    if (chatId === undefined) throw new ApiFailure(400, "Bad Request: chat_id is empty");
    const message_id = this.nextId(chatId);
    const raw: Json = {
      message_id,
      date: now(),
      chat: { id: chatId, type: chatId < 0 ? "group" : "private" },
      from: { id: BOT_ID, is_bot: true, first_name: this.bot.first_name, username: this.bot.username },
    };
    if (content.text !== undefined) raw.text = content.text;
    if (content.caption !== undefined) raw.caption = content.caption;
    if (p.reply_markup !== undefined) raw.reply_markup = p.reply_markup;
    if (content.document) {
      const d = content.document;
      raw.document = {
        file_id: d.file_id,
        file_unique_id: d.file_id,
        file_name: d.file_name,
        mime_type: d.mime_type,
        file_size: d.bytes.length,
      };
    }
    this.all.push({
      message_id,
      chat_id: chatId,
      from_bot: true,
      date: now(),
      text: content.text,
      caption: content.caption,
      reply_markup: p.reply_markup,
      history: [],
      edits: 0,
      deleted: false,
      document: content.document,
      raw,
    });
    return raw;
  }

  /** The live message `p.chat_id`/`p.message_id` names. */
  find(p: Json): FakeMessage {
    const chatId = toNum(p.chat_id);
    const messageId = toNum(p.message_id);
    const msg = this.all.find((m) => m.chat_id === chatId && m.message_id === messageId && !m.deleted);
    if (!msg) throw new ApiFailure(400, "Bad Request: message to edit not found");
    return msg;
  }

  edit(p: Json, what: "text" | "caption" | "markup"): Json {
    const msg = this.find(p);
    if (!msg.from_bot) throw new ApiFailure(400, "Bad Request: message can't be edited");
    const markup = p.reply_markup;
    const sameMarkup = JSON.stringify(markup ?? null) === JSON.stringify(msg.reply_markup ?? null);
    if (what === "text") {
      const text = requireString(p.text, "text must be non-empty");
      if (msg.text === undefined)
        throw new ApiFailure(400, "Bad Request: there is no text in the message to edit");
      if (text === msg.text && sameMarkup) throw notModified();
      msg.history.push(msg.text);
      msg.text = text;
      msg.reply_markup = markup;
    } else if (what === "caption") {
      const caption = typeof p.caption === "string" ? p.caption : "";
      if (caption === (msg.caption ?? "") && sameMarkup) throw notModified();
      msg.caption = caption;
      msg.reply_markup = markup;
    } else {
      if (sameMarkup) throw notModified();
      msg.reply_markup = markup;
    }
    msg.edits++;
    msg.raw = {
      ...msg.raw,
      text: msg.text,
      caption: msg.caption,
      reply_markup: msg.reply_markup,
      edit_date: now(),
    };
    return msg.raw;
  }
}
