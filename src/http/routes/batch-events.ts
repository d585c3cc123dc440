// GET /api/v2/batch/:id/events: one Server-Sent Events stream for a whole batch (the album page shows
// every track's progress; a browser holds only ~6 connections per host, so one stream per track would
// starve the page). Each `state` event carries every track, sent on connect and after every change of
// any track, the stream ends once all are final. Same access as the batch's report (batch token/owner).
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { z } from "zod";
import { errorMessage } from "../../i18n";
import { isFinal, type JobService, type JobView } from "../../jobs";
import { langOf } from "../errors";
import type { BatchProgressSchema } from "./schemas-album";

const KEEPALIVE_MS = 15_000;

export function batchProgress(
  c: Context,
  batchId: string,
  jobs: readonly JobView[],
): z.infer<typeof BatchProgressSchema> {
  return {
    batch_id: batchId,
    album: jobs.some((j) => j.settings.album === true),
    finished: jobs.every((j) => isFinal(j.status)),
    tracks: jobs.map((j) => ({
      id: j.id,
      filename: j.original_name,
      status: j.status,
      progress: j.status === "done" ? 1 : j.progress,
      stage: j.stage,
      position: j.status === "queued" ? (j.position ?? null) : null,
      error: j.error ? { code: j.error.code, message: errorMessage(langOf(c), j.error.code) } : null,
    })),
  };
}

/** The stream; `first` are the batch's jobs as authorised (upload order). */
export function batchEvents(c: Context, jobs: JobService, first: readonly JobView[]): Response {
  const batchId = first[0]?.batch_id ?? "";
  return streamSSE(c, async (stream) => {
    const current = new Map(first.map((j) => [j.id, jobs.get(j.id) ?? j]));
    let changed = false;
    let wake: (() => void) | null = null;
    const offs = first.map((j) =>
      jobs.subscribe(j.id, (e) => {
        current.set(e.job.id, e.job);
        changed = true;
        wake?.();
      }),
    );
    stream.onAbort(() => wake?.());
    let seq = 0;
    const send = async () => {
      const view = batchProgress(c, batchId, [...current.values()]);
      await stream.writeSSE({ event: "state", data: JSON.stringify(view), id: String(++seq) });
      return view.finished;
    };
    try {
      if (await send()) return;
      while (!stream.aborted) {
        if (!changed) {
          await new Promise<void>((res) => {
            wake = res;
            setTimeout(res, KEEPALIVE_MS);
          });
          wake = null;
          if (!changed && !stream.aborted) await stream.write(": keepalive\n\n");
          continue;
        }
        // Changes that arrive while a snapshot is written are folded into the next one.
        changed = false;
        if (await send()) return;
      }
    } finally {
      for (const off of offs) off();
    }
  });
}
