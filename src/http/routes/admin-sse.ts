// One SSE loop for the admin panel's live views (jobs list, dashboard): the current snapshot first, then
// whatever the source pushes, with a keep-alive comment while nothing happens. Ends when the client goes
// (or after the snapshot with ?once=1).
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

const KEEPALIVE_MS = 15_000;

export type LiveSource = {
  /** The first event, sent at once. */
  first: () => { event: string; data: unknown };
  /** Subscribes; `push` queues an event. Returns the unsubscribe function. */
  subscribe: (push: (event: string, data: unknown) => void) => () => void;
};

export function liveStream(c: Context, src: LiveSource): Response {
  return streamSSE(c, async (stream) => {
    const pending: { event: string; data: unknown }[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = src.subscribe((event, data) => {
      pending.push({ event, data });
      wake?.();
    });
    stream.onAbort(() => wake?.());
    let seq = 0;
    const send = (e: { event: string; data: unknown }) =>
      stream.writeSSE({ event: e.event, data: JSON.stringify(e.data), id: String(++seq) });
    try {
      await send(src.first());
      // ?once=1: the snapshot only (scripts, tests), then the stream ends.
      if (c.req.query("once")) return;
      while (!stream.aborted) {
        const next = pending.shift();
        if (next) {
          await send(next);
          continue;
        }
        await new Promise<void>((res) => {
          if (pending.length > 0 || stream.aborted) return res();
          wake = res;
          setTimeout(res, KEEPALIVE_MS);
        });
        wake = null;
        if (pending.length === 0 && !stream.aborted) await stream.write(": keepalive\n\n");
      }
    } finally {
      unsubscribe();
    }
  });
}
