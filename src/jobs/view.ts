// Turns a job row into the JobView every reader sees. Tokens, paths, worker ids and error details stay out.

import type { Lang } from "../i18n";
import { decodeAnalysis } from "./analysis";
import type { JobSettings } from "./engine";
import type { JobRow } from "./store";
import type { JobView } from "./types";

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function toView(row: JobRow, position: number | null): JobView {
  return {
    id: row.publicId,
    status: row.status,
    kind: row.kind,
    source: row.source,
    progress: row.progress,
    stage: row.stage,
    position: row.status === "queued" ? position : null,
    original_name: row.originalName,
    result_name: row.resultName,
    result_bytes: row.resultBytes,
    settings: (parseJson(row.params) ?? {}) as JobSettings,
    error: row.errorCode ? { code: row.errorCode } : null,
    analysis_before: decodeAnalysis(row.analysisBefore),
    analysis_after: decodeAnalysis(row.analysisAfter),
    attempts: row.attempts,
    cost: row.cost,
    audio_duration_s: row.audioDurationS,
    realtime_factor: row.realtimeFactor,
    created_at: row.createdAt,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    expires_at: row.expiresAt,
    owner_key: row.ownerKey,
    user_id: row.userId,
    bot_chat_id: row.botChatId,
    bot_message_id: row.botMessageId,
    lang: row.lang as Lang,
    batch_id: row.batchId,
    priority: row.priority,
  };
}
