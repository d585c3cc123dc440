// Job events between nodes over Postgres LISTEN/NOTIFY (Bun.SQL's `listen`/`notify`, bun ≥ 1.3; its
// listen connection is dedicated, reconnects with backoff and re-subscribes by itself). A node announces
// that a job changed — `{ j: public id, t: "state" | "progress", n: node id }` on channel `mm_jobs` —
// after its write committed; every other node reads the row again and feeds its own event bus (SSE
// streams, the bot's progress edits, a cancel reaching the worker that runs the job). The payload names
// the job only: the row is the truth, so a lost notification costs freshness, never correctness.

import type { Logger } from "../../log";

export const JOBS_CHANNEL = "mm_jobs";

export type JobNote = { publicId: string; type: "state" | "progress" };

export type Relay = {
  /** Tells the other nodes that a job changed (fire and forget; a failure is logged). */
  send(note: JobNote): void;
  /** Resolves once the LISTEN is acknowledged (notes sent after it are received). */
  ready: Promise<void>;
  stop(): Promise<void>;
};

export type RelayOptions = {
  url: string;
  nodeId: string;
  log: Logger;
  /** A note from another node (never this node's own). */
  onNote: (note: JobNote) => void;
  /** After a reconnect notes may have been lost: the owner re-reads what it shows (SSE streams). */
  onResubscribed?: () => void;
};

type Wire = { j: string; t: "state" | "progress"; n: string };

const parse = (payload: string): Wire | null => {
  try {
    const w = JSON.parse(payload) as Partial<Wire>;
    if (typeof w.j !== "string" || (w.t !== "state" && w.t !== "progress") || typeof w.n !== "string")
      return null;
    return w as Wire;
  } catch {
    return null;
  }
};

export function startRelay(o: RelayOptions): Relay {
  const sql = new Bun.SQL(o.url, {
    max: 1,
    idleTimeout: 0,
    connectionTimeout: 10,
    connection: { application_name: "magic-master-relay", idle_session_timeout: "0" },
  });
  let first = true;
  let failures = 0;
  let stopped = false;
  const subscription = sql.listen(
    JOBS_CHANNEL,
    (payload) => {
      const w = parse(payload);
      if (!w || w.n === o.nodeId) return;
      try {
        o.onNote({ publicId: w.j, type: w.t });
      } catch (err) {
        o.log.error("relay_note_failed", String(err), { task_id: w.j, error: String(err) });
      }
    },
    () => {
      if (!first) {
        o.log.info("relay_resubscribed", JOBS_CHANNEL, { channel: JOBS_CHANNEL });
        o.onResubscribed?.();
      }
      first = false;
    },
  );
  // A failed first LISTEN must not become an unhandled rejection; `ready` reports it to whoever waits.
  subscription.catch((err: unknown) =>
    o.log.error("relay_listen_failed", String(err), { channel: JOBS_CHANNEL, error: String(err) }),
  );
  return {
    ready: subscription.then(() => undefined),
    send(note) {
      if (stopped) return;
      const payload = JSON.stringify({ j: note.publicId, t: note.type, n: o.nodeId } satisfies Wire);
      sql.notify(JOBS_CHANNEL, payload).then(
        () => {
          failures = 0;
        },
        (err: unknown) => {
          // One line per streak of failures, not per progress tick.
          if (failures++ === 0)
            o.log.warn("relay_notify_failed", String(err), { task_id: note.publicId, error: String(err) });
        },
      );
    },
    async stop() {
      stopped = true;
      const sub = await subscription.catch(() => null);
      await sub?.unlisten().catch(() => undefined);
      await sql.close({ timeout: 1 }).catch(() => undefined);
    },
  };
}
