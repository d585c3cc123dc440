// The one classifier for errors of outgoing Telegram calls (bot replies, progress edits, notifications),
// modelled on grammY's own policy: read error_code and parameters, never guess from free text except
// where Telegram gives no code of its own (403 blocked vs kicked, 400 not modified).

import { GrammyError, HttpError } from "grammy";

export type TelegramErrorKind =
  /** 403: the user blocked the bot or deleted their account — mark the chat, never retry. */
  | "blocked"
  /** 429: wait `retryAfterS`, then retry. */
  | "rate_limited"
  /** 400 "message is not modified": the edit already shows this text — success. */
  | "not_modified"
  /** 400 "message to edit not found" / "message can't be edited": the user deleted it — send anew. */
  | "message_gone"
  /** Network failure or 5xx: retry with backoff. */
  | "retryable"
  /** 401 (bad token) or 409 (another poller / webhook): stop loudly. */
  | "fatal"
  /** Any other 4xx: our request was wrong; log it, do not retry. */
  | "bad_request";

export type ClassifiedError = {
  kind: TelegramErrorKind;
  code: number | null;
  retryAfterS?: number;
  description: string;
};

/** Classifies anything thrown by a grammY API call. */
export function classifyTelegramError(err: unknown): ClassifiedError {
  if (err instanceof GrammyError)
    return classifyResponse(err.error_code, err.description, err.parameters.retry_after);
  if (err instanceof HttpError) return { kind: "retryable", code: null, description: "network error" };
  return { kind: "bad_request", code: null, description: err instanceof Error ? err.message : String(err) };
}

/** Classifies a raw `{ ok: false, error_code, description }` reply (used inside API transformers). */
export function classifyResponse(code: number, description: string, retryAfter?: number): ClassifiedError {
  const d = description.toLowerCase();
  if (code === 429) return { kind: "rate_limited", code, retryAfterS: retryAfter ?? 1, description };
  if (
    code === 403 &&
    (d.includes("blocked") ||
      d.includes("deactivated") ||
      d.includes("kicked") ||
      d.includes("chat not found"))
  )
    return { kind: "blocked", code, description };
  if (code === 401 || code === 409) return { kind: "fatal", code, description };
  if (code >= 500) return { kind: "retryable", code, description };
  if (code === 400 && d.includes("message is not modified"))
    return { kind: "not_modified", code, description };
  if (code === 400 && (d.includes("message to edit not found") || d.includes("message can't be edited")))
    return { kind: "message_gone", code, description };
  return { kind: "bad_request", code, description };
}
