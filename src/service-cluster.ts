// The service as a cluster node (Postgres only; on SQLite `joinCluster` is null and nothing changes):
// its row and beats, the job relay feeding the job service, the dead-node sweep on worker nodes, and the
// bot and scheduler started by their leader locks instead of at start-up.

import type { Config } from "./config";
import type { Backend } from "./db";
import type { JobService } from "./jobs";
import type { Logger } from "./log";
import {
  type ClusterHealth,
  type ClusterNode,
  newNodeId,
  type Role,
  type RoleSet,
  roleList,
  startClusterNode,
} from "./ops";

export type ClusterWiring = {
  /** The node id: the worker id its claims carry. */
  id: string;
  /** Ids of the nodes that beat within the dead interval (a bot delivery claimed by another is due). */
  liveIds: () => string[];
  /** The job service's relay: tells the other nodes a job changed. */
  relay: (note: { publicId: string; type: "state" | "progress" }) => void;
  /** Feeds remote notes to `jobs`; on a worker node sweeps dead nodes' jobs now (start-up) and every beat. */
  attach(jobs: JobService): void;
  /** Competes for the exclusive roles this node has (bot, scheduler). */
  lead(roles: {
    bot?: { start(): unknown; stop(): unknown };
    scheduler?: { start(): unknown; stop(): unknown };
  }): void;
  health: ClusterHealth;
  stopLeading(): Promise<void>;
  stop(): Promise<void>;
};

export function joinCluster(o: {
  backend: Backend;
  config: Config;
  roles: RoleSet;
  version: string;
  log: Logger;
}): ClusterWiring | null {
  if (o.backend.kind !== "postgres") return null;
  const deadAfterMs = o.config.MM_NODE_DEAD_S * 1000;
  const worker = o.roles.has("worker");
  let jobs: JobService | null = null;
  const live = (node: ClusterNode) => ({
    workers: node.liveIds(),
    staleBefore: Date.now() - deadAfterMs / 2,
  });
  const node = startClusterNode({
    pg: o.backend.pg,
    url: o.backend.pg.url,
    id: newNodeId(),
    roles: roleList(o.roles),
    version: o.version,
    log: o.log,
    deadAfterMs,
    onNote: (n) => jobs?.receiveRemote(n.publicId, n.type),
    sweep: worker
      ? (workers, staleBefore) => void jobs?.sweepDeadWorkers({ workers, staleBefore })
      : undefined,
  });
  return {
    id: node.id,
    liveIds: () => node.liveIds(),
    relay: (note) => node.relay.send(note),
    attach(j) {
      jobs = j;
      // Replaces the one-folder start-up recovery: only dead nodes' running jobs are abandoned.
      if (worker) j.recover({ live: live(node) });
    },
    lead(r) {
      node.lead(
        (["bot", "scheduler"] as const)
          .filter((role: Role) => o.roles.has(role))
          .flatMap((role) => {
            const it = r[role];
            return it ? [{ role, acquire: () => it.start(), release: () => it.stop() }] : [];
          }),
      );
    },
    health: {
      id: node.id,
      leads: () => node.leads(),
      workerNodes: () =>
        node
          .liveNodes()
          .filter((n) => n.roles.includes("worker"))
          .map((n) => ({
            id: n.id,
            roles: n.roles,
            host: n.host,
            version: n.version,
            heartbeat_at: n.heartbeat_at,
          })),
    },
    stopLeading: () => node.stopLeading(),
    stop: () => node.stop(),
  };
}
