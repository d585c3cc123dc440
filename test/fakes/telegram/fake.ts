// A small fake of the Telegram Bot API as a real HTTP server (Bun.serve on port 0), speaking the real wire
// format: `/bot<token>/<method>` with JSON, form or multipart bodies, `{ok,result}` / `{ok:false,…}` replies,
// a real getUpdates long poll and file downloads under `/file/bot<token>/<path>`. Test-only: never imported by src/.
// Two modes, like the real servers: cloud (the default) and local (`start({ local: { dir } })`), see files.ts.
// This class is the tests' side (users, injections, assertions); server.ts answers the bot.

import { statSync } from "node:fs";
import { basename } from "node:path";
import { FileRegistry, type RegisteredFile } from "./files";
import { HeldCall } from "./hold";
import { MessageBook } from "./messages";
import { handle, type ServerState } from "./server";
import { type FakeInvoice, FakeStars } from "./stars";
import {
  type AudioSendOptions,
  BOT_ID,
  buttonsOf,
  type FakeCall,
  type FakeMessage,
  type FakeUser,
  type Injected,
  type Json,
  now,
} from "./types";
import { UpdateQueue } from "./updates";

/**
 * The fake server. Start with `await FakeTelegram.start()`, point the bot at `fake.apiRoot` with `fake.token`,
 * drive it with `userSends…`, assert with `calls`, `messagesTo()` and `waitFor()`, `await fake.stop()` at the end.
 */
export class FakeTelegram {
  readonly token: string;
  readonly botInfo = {
    id: BOT_ID,
    is_bot: true as const,
    first_name: "Magic Master (fake)",
    username: "magic_master_fake_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  readonly calls: FakeCall[] = [];
  /** setMyCommands per `<scope JSON>|<language_code>`. */
  readonly commands = new Map<string, unknown[]>();
  readonly answeredCallbacks: Json[] = [];
  readonly chatActions: Json[] = [];

  /** Stars payments: invoices, pre-checkout answers, charges and refunds. */
  readonly stars = new FakeStars();

  /** Local mode: the server's working directory (absolute file paths, 2000 MB limits); undefined = cloud. */
  readonly localDir: string | undefined;

  private server: ReturnType<typeof Bun.serve> | undefined;
  private readonly updates = new UpdateQueue();
  private readonly messages = new MessageBook(this.botInfo);
  private readonly files: FileRegistry;
  private readonly injected = new Map<string, Injected[]>();
  private readonly blocked = new Set<number>();
  private readonly holds: HeldCall[] = [];
  private callbackCounter = 0;
  private readonly state: ServerState;

  private constructor(token: string, localDir?: string) {
    this.token = token;
    this.localDir = localDir;
    this.files = new FileRegistry(token, localDir);
    this.state = {
      token,
      botInfo: this.botInfo,
      calls: this.calls,
      commands: this.commands,
      answeredCallbacks: this.answeredCallbacks,
      chatActions: this.chatActions,
      stars: this.stars,
      files: this.files,
      updates: this.updates,
      messages: this.messages,
      injected: this.injected,
      blocked: this.blocked,
      holds: this.holds,
      webhook: { url: "" },
    };
  }

  /** Starts the server on a free loopback port; `local` makes it a `telegram-bot-api --local`. */
  static async start(opts: { token?: string; local?: { dir: string } } = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(opts.token ?? "123456:TEST-fake-token", opts.local?.dir);
    fake.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      // Long polls hold the connection for `timeout` seconds; Bun's default idle timeout is 10 s.
      idleTimeout: 0,
      fetch: (req) => handle(fake.state, req),
    });
    return fake;
  }

  /** The API root to configure in grammY (`client: { apiRoot }`) or MM_TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    if (!this.server) throw new Error("fake telegram: not started");
    return `http://127.0.0.1:${this.server.port}`;
  }

  /**
   * An API root that tags every call with `tag` (`/n/<tag>/bot…`): several processes on one fake are told
   * apart by `FakeCall.via` — who polls, who sent a message.
   */
  apiRootFor(tag: string): string {
    return `${this.apiRoot}/n/${encodeURIComponent(tag)}`;
  }

  async stop(): Promise<void> {
    this.updates.wakeAll();
    await this.server?.stop(true);
    this.server = undefined;
  }

  // ---------------------------------------------------------------- test helpers: the "user" side

  /** A user object for updates. `lang` becomes `language_code`. */
  static user(id: number, opts: { username?: string; lang?: string; name?: string } = {}): FakeUser {
    return {
      id,
      is_bot: false,
      first_name: opts.name ?? `User${id}`,
      username: opts.username,
      language_code: opts.lang,
    };
  }

  /** Queues any update (the update_id is assigned here). Returns the update. */
  pushUpdate(body: Json): Json {
    return this.updates.push(body);
  }

  /**
   * The buyer pays `invoice`: a pre_checkout_query, then (if the bot answers ok within 10 s) a
   * successful_payment message, delivered `times` times (a re-delivery). Resolves with the answer.
   */
  async userPays(user: FakeUser, invoice: FakeInvoice, o: { times?: number; amount?: number } = {}) {
    const q = this.stars.query(user, invoice, o.amount);
    this.pushUpdate(q.update);
    const deadline = Date.now() + 10_000;
    while (!this.stars.answers.has(q.id) && Date.now() < deadline) await Bun.sleep(20);
    const answer = this.stars.answers.get(q.id);
    if (answer?.ok) {
      const paid = this.stars.charge(user.id, invoice);
      const message = this.messages.fromUser(user, paid);
      for (let i = 0; i < (o.times ?? 1); i++) this.pushUpdate({ message });
    }
    return answer;
  }

  /** The user types `text` (commands get a bot_command entity like the real client adds). */
  userSendsText(user: FakeUser, text: string, opts: { chatId?: number } = {}): Json {
    const extra: Json = { text };
    const cmd = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    if (cmd) extra.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    const message = this.messages.fromUser(user, extra, opts.chatId);
    this.pushUpdate({ message });
    return message;
  }

  /** The user sends an audio file as a document (default), an audio or a voice message. */
  userSendsAudio(user: FakeUser, filePath: string, opts: AudioSendOptions = {}): Json {
    const fileName = opts.fileName ?? basename(filePath);
    const size = opts.fileSize ?? statSync(filePath).size;
    const f = this.registerFile(
      filePath,
      size,
      opts.as === "voice" ? "voice" : opts.as === "audio" ? "music" : "documents",
      fileName,
    );
    const mime = opts.mime ?? "audio/wav";
    const base = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: size, mime_type: mime };
    let extra: Json;
    if (opts.as === "voice") extra = { voice: { ...base, duration: 2 } };
    else if (opts.as === "audio") extra = { audio: { ...base, duration: 2, file_name: fileName } };
    else extra = { document: { ...base, file_name: fileName } };
    if (opts.caption) extra.caption = opts.caption;
    if (opts.mediaGroupId) extra.media_group_id = opts.mediaGroupId;
    const message = this.messages.fromUser(user, extra, opts.chatId);
    this.pushUpdate({ message });
    return message;
  }

  /** The user presses an inline button with `data` under bot message `messageId`. */
  userPressesButton(user: FakeUser, messageId: number, data: string, chatId = user.id): Json {
    const msg = this.messages.all.find((m) => m.chat_id === chatId && m.message_id === messageId);
    const message: Json = msg
      ? { ...msg.raw, text: msg.text, reply_markup: msg.reply_markup }
      : { message_id: messageId, date: now(), chat: { id: chatId, type: "private" } };
    const callback_query = {
      id: String(++this.callbackCounter),
      from: user,
      message,
      chat_instance: `ci${chatId}`,
      data,
    };
    this.pushUpdate({ callback_query });
    return callback_query;
  }

  /** The user presses the button whose label contains `label` on the latest bot message carrying it. */
  userPressesButtonLabelled(user: FakeUser, label: string): Json {
    for (const m of [...this.messages.all].reverse()) {
      if (m.chat_id !== user.id || !m.from_bot) continue;
      for (const b of buttonsOf(m)) {
        if (b.text.includes(label) && b.callback_data)
          return this.userPressesButton(user, m.message_id, b.callback_data);
      }
    }
    throw new Error(`fake telegram: no button labelled "${label}" for user ${user.id}`);
  }

  /** Registers bytes or a file on disk as downloadable; returns the file id. */
  registerFile(
    source: string | Uint8Array,
    size: number,
    folder = "documents",
    name = "file",
  ): RegisteredFile {
    return this.files.register(source, size, folder, name);
  }

  // ---------------------------------------------------------------- test helpers: error injection

  /** The next `count` calls of `method` answer 429 Too Many Requests with `retry_after` seconds. */
  failNextWith429(method: string, count = 1, retryAfter = 1): void {
    this.inject(method, {
      remaining: count,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      retry_after: retryAfter,
    });
  }

  /** The next `count` calls of `method` answer with this error. */
  inject(method: string, e: Injected): void {
    const list = this.injected.get(method) ?? [];
    list.push(e);
    this.injected.set(method, list);
  }

  /** Every call sending to `chatId` now answers 403 "Forbidden: bot was blocked by the user". */
  blockBotFor(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblockBotFor(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /**
   * Holds the next call of `method` (matching `match`) after its request is read, unanswered until
   * `release()`; a caller killed meanwhile drops it (no message). See telegram-hold.ts.
   */
  hold(method: string, match?: (call: FakeCall) => boolean): HeldCall {
    const h = new HeldCall(method, match);
    this.holds.push(h);
    return h;
  }

  // ---------------------------------------------------------------- test helpers: assertions

  /** Messages the bot sent to `chatId` (not deleted), oldest first. */
  messagesTo(chatId: number): FakeMessage[] {
    return this.messages.all.filter((m) => m.chat_id === chatId && m.from_bot && !m.deleted);
  }

  /** Every text the bot showed `chatId`: each message's current text or caption. */
  textsTo(chatId: number): string[] {
    return this.messagesTo(chatId).map((m) => m.text ?? m.caption ?? "");
  }

  documentsTo(chatId: number): FakeMessage[] {
    return this.messagesTo(chatId).filter((m) => m.document !== undefined);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The update_id of the latest update queued (0 before any). */
  get lastUpdateId(): number {
    return this.updates.lastUpdateId;
  }

  /** Telegram gives update `updateId` again (its leader died before confirming it): see UpdateQueue. */
  redeliver(updateId: number): void {
    this.updates.redeliver(updateId);
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.updates.pending;
  }

  /**
   * The shortest deadline waitFor uses, whatever a call asks for: the numbers in the tests say how fast a
   * reply normally comes, but a loaded one-core machine must only make a test slower, never red.
   */
  minDeadlineMs = 30_000;

  /**
   * Polls `predicate` every 20 ms until it returns a truthy value (returned) or the deadline (`timeoutMs`,
   * at least minDeadlineMs) passes; then throws with `label` and the last calls, so a hang is a readable failure.
   */
  async waitFor<T>(
    predicate: () => T | undefined | null | false,
    timeoutMs = 10_000,
    label = "condition",
  ): Promise<T> {
    timeoutMs = Math.max(timeoutMs, this.minDeadlineMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() > deadline) {
        const last = this.calls
          .slice(-8)
          .map(
            (c) => `${c.method}${c.ok ? "" : `!${c.error_code}`} ${JSON.stringify(c.params).slice(0, 160)}`,
          )
          .join("\n  ");
        throw new Error(`waitFor timed out after ${timeoutMs} ms: ${label}\n  last calls:\n  ${last}`);
      }
      await Bun.sleep(20);
    }
  }
}
