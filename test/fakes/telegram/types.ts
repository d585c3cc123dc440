// The fake Bot API's shared vocabulary: what tests see (users, messages, calls, send options), the limits
// of the two server modes, and the error a method answers with (ApiFailure → `{ok:false,…}`).

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

/** An injected failure: the next `remaining` calls of a method answer with it. */
export type Injected = { remaining: number; error_code: number; description: string; retry_after?: number };

export const BOT_ID = 700000001;
const MB = 1024 * 1024;
/** Cloud getFile refuses files over 20 MB; cloud uploads over 50 MB answer 413; a local server takes 2000 MB. */
export const DOWNLOAD_LIMIT = 20 * MB;
export const UPLOAD_LIMIT = 50 * MB;
export const LOCAL_LIMIT = 2000 * MB;

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

export class ApiFailure extends Error {
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

export function notModified(): ApiFailure {
  return new ApiFailure(
    400,
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
  );
}

export function requireString(v: unknown, what: string): string {
  if (typeof v === "number") return String(v);
  if (typeof v !== "string" || v.length === 0) throw new ApiFailure(400, `Bad Request: ${what}`);
  return v;
}

export function toNum(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}

export function reply(status: number, body: Json): Response {
  return Response.json(body, { status });
}
