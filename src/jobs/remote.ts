// Cross-node job events (cluster): another node wrote a job row and said so (LISTEN/NOTIFY, see
// ops/cluster/relay.ts). The row is read here, a run of it on this node that no longer owns it is stopped,
// and the event is delivered to this process's listeners (SSE streams, the bot) marked remote.

import type { EventBus } from "./events";
import type { JobRow, JobStore } from "./store";
import type { JobView } from "./types";

export type RemoteDeps = {
  store: JobStore;
  bus: EventBus;
  view: (row: JobRow) => JobView;
  workerId: string;
  pool: { abort(publicId: string, why: "cancelled"): unknown; wake(): void };
};

export function createRemoteReceiver(d: RemoteDeps): (publicId: string, type: "state" | "progress") => void {
  return (publicId, type) => {
    const row = d.store.findByPublicId(publicId);
    if (!row) return;
    // Cancelled (or swept) elsewhere while it runs here: stop ffmpeg now, not at the next heartbeat.
    if (row.status !== "running" || row.workerId !== d.workerId) d.pool.abort(row.publicId, "cancelled");
    if (row.status === "queued") d.pool.wake();
    d.bus.receive({ type, job: d.view(row) });
  };
}
