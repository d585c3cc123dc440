// The bot's context type and session shape. Sessions carry only small choices and Telegram file ids
// (re-downloadable for "another style"), never bytes.

import type { Context, SessionFlavor } from "grammy";
import type { UserRow } from "../accounts";
import type { Lang } from "../i18n";

/** A Telegram file the session refers to (re-downloadable by id; never its bytes). */
export type FileRef = { fileId: string; name: string; size: number };

/** A file the user sent and has not yet turned into a job. */
export type PendingFile = {
  fileId: string;
  name: string;
  size: number;
  /** More tracks sent with it (a media group, or within the album window): a group of 2–10 tracks. */
  extra?: FileRef[];
  /** The media_group_id the files arrived with (Telegram's "album" in the client). */
  mediaGroupId?: string;
  /** What a group becomes: one album (shared chain, relative loudness kept) or each track on its own. */
  group?: "album" | "each";
  /** low | medium | high (absent: medium, the engine's default). */
  intensity?: string;
  /** Reference tracks (up to 3) the master matches; `match` the aspects (absent: all). */
  references?: FileRef[];
  match?: string[];
  /** The reference step is open: the next audio file is a reference, not a new track. */
  awaitingReference?: boolean;
  /** Chosen on the first keyboard; the second keyboard picks the format. */
  style?: string;
  /** A platform preset picked through the format step's "platform" button; absent = by style. */
  preset?: string;
  /** The bot message holding the keyboard (edited into "Task #ID queued"). */
  messageId?: number;
  at: number;
};

/** What a finished task's buttons ("another style", "other format") need to start again. */
export type RecentInput = {
  jobId: string;
  fileId: string;
  name: string;
  size: number;
  style?: string;
  preset?: string;
  format?: string;
  intensity?: string;
  references?: FileRef[];
  match?: string[];
};

export type SessionData = {
  /** What the next file is for: /analyze switches to "analyze" for one file. */
  mode?: "master" | "analyze";
  pending?: PendingFile;
  /** Newest first, at most 10. */
  recent?: RecentInput[];
  /** The ban (its banned_at) this user was already told about: one polite refusal per ban, across restarts. */
  banRefusedAt?: number;
  /** An admin's broadcast waiting for the confirm button. */
  broadcast?: { nonce: string; text: string };
};

/** Per-update facts the loader middleware fills in before any feature runs. */
export type Mm = {
  user: UserRow;
  lang: Lang;
  isAdmin: boolean;
  /** Set by handlers working on a task, so bot.catch can name it. */
  taskId?: string;
  t: (key: string, params?: Record<string, string | number>) => string;
};

export type BotContext = Context & SessionFlavor<SessionData> & { mm: Mm };
