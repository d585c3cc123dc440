// A small fake of the Telegram Bot API as a real HTTP server (Bun.serve on port 0), speaking the real wire
// format: `/bot<token>/<method>` with JSON, form or multipart bodies, `{ok,result}` / `{ok:false,…}` replies,
// a real getUpdates long poll and file downloads under `/file/bot<token>/<path>`. Test-only: never imported by src/.
//
// Two modes, like the real servers. Cloud (api.telegram.org, the default): getFile refuses files over
// 20 MB and answers a relative file_path served under /file/; uploads over 50 MB answer 413. Local (a
// self-hosted `telegram-bot-api --local`, `start({ local: { dir } })`): getFile copies the file into the
// server's working directory (`<dir>/<token>/<folder>/file_N.ext`, as the real server downloads it there)
// and answers that absolute path, nothing is served over HTTP, and uploads take up to 2000 MB, as
// multipart or as a `file://` path the server reads itself.

import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HeldCall } from "./telegram-hold";
import { type FakeInvoice, FakeStars, StarsFailure } from "./telegram-stars";
import { decodeRequest, type UploadedPart } from "./telegram-wire";

export type Json = Record<string, unknown>;

/** A Telegram user as the fake puts it in updates (`from`). */
export type FakeUser = {
  id: number;
  is_bot?: false;
  first_name: string;
  username?: string;
  language_code?: string;
};

/** A message in the fake's memory: sent by the bot or by a user, with every edit kept. */
export type FakeMessage = {
  message_id: number;
  chat_id: number;
  from_bot: boolean;
  date: number;
  text?: string;
  caption?: string;
  reply_markup?: unknown;
  /** Texts this message had before each edit, oldest first. */
  history: string[];
  edits: number;
  deleted: boolean;
  document?: { file_id: string; file_name: string; mime_type: string; bytes: Uint8Array };
  raw: Json;
};

export type FakeCall = {
  method: string;
  params: Json;
  at: number;
  ok: boolean;
  error_code?: number;
  /** The caller's tag when it used `apiRootFor(tag)` (several bot processes on one fake). */
  via?: string;
  /** Held (`hold`) and dropped unanswered because its caller went away: no effect. */
  dropped?: boolean;
};

type RegisteredFile = {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  size: number;
  source: string | Uint8Array;
};
type Injected = { remaining: number; error_code: number; description: string; retry_after?: number };
type Waiter = () => void;

const BOT_ID = 700000001;
const MB = 1024 * 1024;
const DOWNLOAD_LIMIT = 20 * MB;
const UPLOAD_LIMIT = 50 * MB;
const LOCAL_LIMIT = 2000 * MB;

export type AudioSendOptions = {
  fileName?: string;
  mime?: string;
  as?: "document" | "audio" | "voice";
  /** Pretend the file has this size (getFile refuses > 20 MB like the real API, without any upload). */
  fileSize?: number;
  caption?: string;
  chatId?: number;
  /** Files sent together (an album in the client) share a media_group_id. */
  mediaGroupId?: string;
};

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

  private server: ReturnType<typeof Bun.serve> | undefined;
  private updates: Json[] = [];
  private nextUpdateId = 1;
  private confirmedBelow = 0;
  private waiters = new Set<Waiter>();
  private messages: FakeMessage[] = [];
  private msgCounter = new Map<number, number>();
  private files = new Map<string, RegisteredFile>();
  private fileByPath = new Map<string, RegisteredFile>();
  private fileCounter = 0;
  private injected = new Map<string, Injected[]>();
  private blocked = new Set<number>();
  private callbackCounter = 0;
  private webhookUrl = "";
  private holds: HeldCall[] = [];
  /** Stars payments: invoices, pre-checkout answers, charges and refunds. */
  readonly stars = new FakeStars();

  /** Local mode: the server's working directory (absolute file paths, 2000 MB limits); undefined = cloud. */
  readonly localDir: string | undefined;

  private constructor(token: string, localDir?: string) {
    this.token = token;
    this.localDir = localDir;
  }

  /** Starts the server on a free loopback port; `local` makes it a `telegram-bot-api --local`. */
  static async start(opts: { token?: string; local?: { dir: string } } = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(opts.token ?? "123456:TEST-fake-token", opts.local?.dir);
    fake.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      // Long polls hold the connection for `timeout` seconds; Bun's default idle timeout is 10 s.
      idleTimeout: 0,
      fetch: (req) => fake.handle(req),
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
    for (const w of this.waiters) w();
    this.waiters.clear();
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
    const update = { update_id: this.nextUpdateId++, ...body };
    this.updates.push(update);
    for (const w of this.waiters) w();
    this.waiters.clear();
    return update;
  }

  private userMessage(user: FakeUser, extra: Json, chatId = user.id): Json {
    const message_id = this.nextMessageId(chatId);
    const chat =
      chatId === user.id
        ? { id: user.id, type: "private", first_name: user.first_name, username: user.username }
        : { id: chatId, type: chatId < 0 ? "group" : "private", title: "Group" };
    const message: Json = { message_id, date: now(), chat, from: user, ...extra };
    this.messages.push({
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
      const message = this.userMessage(user, paid);
      for (let i = 0; i < (o.times ?? 1); i++) this.pushUpdate({ message });
    }
    return answer;
  }

  /** The user types `text` (commands get a bot_command entity like the real client adds). */
  userSendsText(user: FakeUser, text: string, opts: { chatId?: number } = {}): Json {
    const extra: Json = { text };
    const cmd = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    if (cmd) extra.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    const message = this.userMessage(user, extra, opts.chatId);
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
    const message = this.userMessage(user, extra, opts.chatId);
    this.pushUpdate({ message });
    return message;
  }

  /** The user presses an inline button with `data` under bot message `messageId`. */
  userPressesButton(user: FakeUser, messageId: number, data: string, chatId = user.id): Json {
    const msg = this.messages.find((m) => m.chat_id === chatId && m.message_id === messageId);
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
    for (const m of [...this.messages].reverse()) {
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
    const n = ++this.fileCounter;
    const ext = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
    const f: RegisteredFile = {
      file_id: `FILE${n}_${Math.random().toString(36).slice(2, 10)}`,
      file_unique_id: `U${n}`,
      file_path: `${folder}/file_${n}${ext}`,
      size,
      source,
    };
    this.files.set(f.file_id, f);
    this.fileByPath.set(f.file_path, f);
    return f;
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
    return this.messages.filter((m) => m.chat_id === chatId && m.from_bot && !m.deleted);
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
    return this.nextUpdateId - 1;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): number {
    return this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow).length;
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

  // ---------------------------------------------------------------- the server side

  private nextMessageId(chatId: number): number {
    const n = (this.msgCounter.get(chatId) ?? 0) + 1;
    this.msgCounter.set(chatId, n);
    return n;
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const tagged = /^\/n\/([^/]+)(\/.*)$/.exec(url.pathname);
    const via = tagged ? decodeURIComponent(tagged[1] ?? "") : undefined;
    const path = tagged ? (tagged[2] ?? "") : url.pathname;
    const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (fileRoute) return this.download(fileRoute[1] ?? "", decodeURIComponent(fileRoute[2] ?? ""));
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (!m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token = "", method = ""] = m;
    let params: Json = {};
    let files = new Map<string, UploadedPart>();
    try {
      ({ params, files } = await decodeRequest(req));
    } catch {
      return reply(400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
    }
    const call: FakeCall = { method, params, at: Date.now(), ok: true, ...(via ? { via } : {}) };
    this.calls.push(call);
    const fail = (code: number, description: string, retry_after?: number) => {
      call.ok = false;
      call.error_code = code;
      const body: Json = { ok: false, error_code: code, description };
      if (retry_after !== undefined) body.parameters = { retry_after };
      return reply(code, body);
    };
    if (token !== this.token) return fail(401, "Unauthorized");
    const held = this.holds.find((h) => h.wants(call));
    if (held && (await held.take(call, req.signal)) === "dropped") {
      call.ok = false;
      call.dropped = true;
      return new Response(null, { status: 499 });
    }
    const inj = this.injected.get(method)?.[0];
    if (inj) {
      inj.remaining--;
      if (inj.remaining <= 0) this.injected.get(method)?.shift();
      return fail(inj.error_code, inj.description, inj.retry_after);
    }
    const chatId = toNum(params.chat_id);
    if (chatId !== undefined && this.blocked.has(chatId) && method !== "getChat") {
      return fail(403, "Forbidden: bot was blocked by the user");
    }
    try {
      const result = await this.dispatch(method, params, files, req.signal);
      return reply(200, { ok: true, result });
    } catch (e) {
      if (e instanceof ApiFailure) return fail(e.code, e.description);
      throw e;
    }
  }

  private download(token: string, path: string): Response {
    if (token !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const f = this.fileByPath.get(path);
    // A local server hands files by path only: nothing is served over HTTP.
    const served = f !== undefined && this.localDir === undefined;
    this.calls.push({ method: "<download>", params: { file_path: path }, at: Date.now(), ok: served });
    if (!f || !served) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    const body = typeof f.source === "string" ? Bun.file(f.source) : f.source;
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  }

  private async dispatch(
    method: string,
    p: Json,
    files: Map<string, UploadedPart>,
    signal: AbortSignal,
  ): Promise<unknown> {
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "logOut":
      case "close":
        return true;
      case "deleteWebhook":
        this.webhookUrl = "";
        if (p.drop_pending_updates === true) this.confirmedBelow = this.nextUpdateId;
        return true;
      case "setWebhook":
        this.webhookUrl = String(p.url ?? "");
        return true;
      case "getWebhookInfo":
        return {
          url: this.webhookUrl,
          has_custom_certificate: false,
          pending_update_count: this.pendingUpdates,
        };
      case "getUpdates":
        return this.getUpdates(p, signal);
      case "setMyCommands":
        this.commands.set(commandKey(p), Array.isArray(p.commands) ? p.commands : []);
        return true;
      case "getMyCommands":
        return this.commands.get(commandKey(p)) ?? [];
      case "deleteMyCommands":
        this.commands.delete(commandKey(p));
        return true;
      case "sendMessage":
        return this.send(p, { text: requireString(p.text, "message text is empty") });
      case "sendDocument":
        return this.sendDocument(p, files);
      case "editMessageText":
        return this.edit(p, "text");
      case "editMessageCaption":
        return this.edit(p, "caption");
      case "editMessageReplyMarkup":
        return this.edit(p, "markup");
      case "deleteMessage": {
        const msg = this.findMessage(p);
        msg.deleted = true;
        return true;
      }
      case "sendChatAction":
        this.chatActions.push(p);
        return true;
      case "sendInvoice":
      case "answerPreCheckoutQuery":
      case "refundStarPayment":
        try {
          if (method === "answerPreCheckoutQuery") return this.stars.answerPreCheckoutQuery(p);
          if (method === "refundStarPayment") return this.stars.refundStarPayment(p);
          const msg = this.send(p, {}) as Json;
          msg.invoice = this.stars.sendInvoice(p, toNum(p.chat_id) ?? 0, Number(msg.message_id));
          return msg;
        } catch (e) {
          if (e instanceof StarsFailure) throw new ApiFailure(400, e.description);
          throw e;
        }
      case "answerCallbackQuery":
        this.answeredCallbacks.push(p);
        return true;
      case "getFile": {
        const f = this.files.get(String(p.file_id ?? ""));
        if (!f) throw new ApiFailure(400, "Bad Request: invalid file_id");
        if (this.localDir === undefined && f.size > DOWNLOAD_LIMIT)
          throw new ApiFailure(400, "Bad Request: file is too big");
        return {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_size: f.size,
          file_path: this.localDir === undefined ? f.file_path : this.localCopy(f),
        };
      }
      default:
        throw new ApiFailure(404, "Not Found: method not found");
    }
  }

  /** Real long poll: confirms updates below `offset`, answers at once when any is pending, else waits. */
  private async getUpdates(p: Json, signal: AbortSignal): Promise<Json[]> {
    const offset = toNum(p.offset) ?? 0;
    const limit = Math.max(1, Math.min(100, toNum(p.limit) ?? 100));
    const timeout = Math.max(0, toNum(p.timeout) ?? 0);
    if (offset > 0) this.confirmedBelow = Math.max(this.confirmedBelow, offset);
    this.updates = this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow);
    const pick = () =>
      this.updates
        .filter((u) => Number(u.update_id) >= Math.max(offset, this.confirmedBelow))
        .slice(0, limit);
    let got = pick();
    if (got.length > 0 || timeout === 0) return got;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeout * 1000);
      this.waiters.add(done);
      signal.addEventListener("abort", done);
    });
    got = pick();
    return got;
  }

  private send(
    p: Json,
    content: { text?: string; caption?: string; document?: FakeMessage["document"] },
  ): Json {
    const chatId = toNum(p.chat_id);
    if (chatId === undefined) throw new ApiFailure(400, "Bad Request: chat_id is empty");
    const message_id = this.nextMessageId(chatId);
    const raw: Json = {
      message_id,
      date: now(),
      chat: { id: chatId, type: chatId < 0 ? "group" : "private" },
      from: {
        id: BOT_ID,
        is_bot: true,
        first_name: this.botInfo.first_name,
        username: this.botInfo.username,
      },
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
    this.messages.push({
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

  /** Where a local server keeps a file it fetched for getFile (copied there on first use). */
  private localCopy(f: RegisteredFile): string {
    const path = join(this.localDir ?? "", this.token, f.file_path);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof f.source === "string") copyFileSync(f.source, path);
    else writeFileSync(path, f.source);
    return path;
  }

  private sendDocument(p: Json, files: Map<string, UploadedPart>): Json {
    const ref = String(p.document ?? "");
    const limit = this.localDir === undefined ? UPLOAD_LIMIT : LOCAL_LIMIT;
    let document: FakeMessage["document"];
    if (ref.startsWith("file://") && this.localDir !== undefined) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(fileURLToPath(ref)));
      } catch {
        throw new ApiFailure(400, "Bad Request: file not found");
      }
      if (bytes.length > limit) throw new ApiFailure(400, "Bad Request: file is too big");
      const name = basename(fileURLToPath(ref));
      const f = this.registerFile(bytes, bytes.length, "documents", name);
      document = { file_id: f.file_id, file_name: name, mime_type: "application/octet-stream", bytes };
    } else if (ref.startsWith("attach://")) {
      const part = files.get(ref.slice("attach://".length));
      if (!part) throw new ApiFailure(400, "Bad Request: file must be non-empty");
      if (part.bytes.length === 0) throw new ApiFailure(400, "Bad Request: file must be non-empty");
      if (part.bytes.length > limit) throw new ApiFailure(413, "Request Entity Too Large");
      const f = this.registerFile(part.bytes, part.bytes.length, "documents", part.filename);
      document = {
        file_id: f.file_id,
        file_name: part.filename,
        mime_type: part.contentType,
        bytes: part.bytes,
      };
    } else {
      const known = this.files.get(ref);
      if (!known) throw new ApiFailure(400, "Bad Request: wrong file identifier/HTTP URL specified");
      const bytes = typeof known.source === "string" ? new Uint8Array() : known.source;
      document = {
        file_id: known.file_id,
        file_name: basename(known.file_path),
        mime_type: "application/octet-stream",
        bytes,
      };
    }
    return this.send(p, { caption: typeof p.caption === "string" ? p.caption : undefined, document });
  }

  private findMessage(p: Json): FakeMessage {
    const chatId = toNum(p.chat_id);
    const messageId = toNum(p.message_id);
    const msg = this.messages.find((m) => m.chat_id === chatId && m.message_id === messageId && !m.deleted);
    if (!msg) throw new ApiFailure(400, "Bad Request: message to edit not found");
    return msg;
  }

  private edit(p: Json, what: "text" | "caption" | "markup"): Json {
    const msg = this.findMessage(p);
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

class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** The inline buttons of a message (flattened). */
export function buttonsOf(m: FakeMessage): { text: string; callback_data?: string; url?: string }[] {
  const markup = m.reply_markup;
  if (!markup || typeof markup !== "object" || !("inline_keyboard" in markup)) return [];
  const rows = (markup as { inline_keyboard: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows
    .flat()
    .filter((b): b is { text: string; callback_data?: string; url?: string } => typeof b?.text === "string");
}

function notModified(): ApiFailure {
  return new ApiFailure(
    400,
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
  );
}

function commandKey(p: Json): string {
  const scope =
    p.scope && typeof p.scope === "object" ? JSON.stringify(p.scope) : JSON.stringify({ type: "default" });
  return `${scope}|${typeof p.language_code === "string" ? p.language_code : ""}`;
}

function requireString(v: unknown, what: string): string {
  if (typeof v === "number") return String(v);
  if (typeof v !== "string" || v.length === 0) throw new ApiFailure(400, `Bad Request: ${what}`);
  return v;
}

function toNum(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function reply(status: number, body: Json): Response {
  return Response.json(body, { status });
}
