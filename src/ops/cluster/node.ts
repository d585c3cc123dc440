// One `serve` process as a member of a cluster on Postgres: its row in `nodes` (beaten every
// deadAfter / 6, so 5 s at the default 30 s), the leader locks for the exclusive roles it may run (bot,
// scheduler), the job-event relay, and — on a worker node — the dead-node sweep on every beat: running
// jobs whose worker is no live node go back to the queue (the jobs service does the re-queue once).

import { hostname } from "node:os";
import type { PgClient } from "../../db";
import type { Logger } from "../../log";
import { ROLES, type Role } from "../roles";
import { type LeaderRole, type LeaderSpec, type Leaders, startLeaders } from "./leaders";
import { createPgNodeStore, type NodeRow } from "./nodes-store";
import { type JobNote, type Relay, startRelay } from "./relay";

/** A live node as health shows it. */
export type NodeView = {
  id: string;
  roles: Role[];
  leads: LeaderRole[];
  host: string;
  pid: number;
  version: string;
  started_at: number;
  heartbeat_at: number;
};

export type ClusterNode = {
  id: string;
  /** The leader roles this node holds now. */
  leads(): LeaderRole[];
  /** Nodes that beat within the dead interval (this one included). */
  liveNodes(): NodeView[];
  /** Live node ids (the workers whose running jobs are theirs). */
  liveIds(): string[];
  relay: Relay;
  /** Starts competing for the exclusive roles (once the service has built what they start). */
  lead(specs: readonly LeaderSpec[]): void;
  /** Releases the leader roles (their `release` runs); the node stays registered. */
  stopLeading(): Promise<void>;
  /** Leaves the cluster: leader roles released, relay closed, the row deleted. */
  stop(): Promise<void>;
};

export type ClusterNodeOptions = {
  pg: PgClient;
  url: string;
  roles: readonly Role[];
  version: string;
  log: Logger;
  /** A node silent for this long is dead (MM_NODE_DEAD_S). */
  deadAfterMs: number;
  /** A job changed on another node. */
  onNote: (note: JobNote) => void;
  onResubscribed?: () => void;
  /** Worker nodes: re-queue running jobs of workers not in `live` whose last write is before `staleBefore`. */
  sweep?: (live: readonly string[], staleBefore: number) => void;
  leaderRetryMs?: number;
  now?: () => number;
  /** Fixed id (tests); default host:pid:random. */
  id?: string;
};

/** host:pid:random — unique per process start; the jobs it claims carry it as worker_id. */
export function newNodeId(): string {
  const rand = crypto.getRandomValues(new Uint8Array(4));
  return `${hostname()}:${process.pid}:${Buffer.from(rand).toString("hex")}`;
}

/** Rows silent for a day are deleted by the beats (a crashed node's row tells nothing after that). */
const PRUNE_AFTER_MS = 24 * 3600 * 1000;

const rolesOf = (s: string): Role[] => ROLES.filter((r) => s.split(",").includes(r));
const leadsOf = (s: string): LeaderRole[] =>
  s.split(",").filter((r): r is LeaderRole => r === "bot" || r === "scheduler");

export function toNodeView(r: NodeRow): NodeView {
  return {
    id: r.id,
    roles: rolesOf(r.roles),
    leads: leadsOf(r.leads),
    host: r.host,
    pid: r.pid,
    version: r.version,
    started_at: r.startedAt,
    heartbeat_at: r.heartbeatAt,
  };
}

/** Registers the node (synchronously: its row exists before its workers claim anything) and starts it. */
export function startClusterNode(o: ClusterNodeOptions): ClusterNode {
  const now = o.now ?? Date.now;
  const store = createPgNodeStore(o.pg);
  const id = o.id ?? newNodeId();
  const beatMs = Math.max(500, Math.floor(o.deadAfterMs / 6));
  let leads: LeaderRole[] = [];
  const row = (): NodeRow => ({
    id,
    roles: o.roles.join(","),
    leads: leads.join(","),
    host: hostname(),
    pid: process.pid,
    version: o.version,
    startedAt,
    heartbeatAt: now(),
  });
  const startedAt = now();
  store.register(row());
  const log = o.log.child({ node_id: id });
  log.info("node_registered", id, { node_id: id, roles: o.roles, dead_after_ms: o.deadAfterMs });

  const liveIds = () => store.live(now() - o.deadAfterMs).map((r) => r.id);
  let beatFailures = 0;
  const beat = () => {
    try {
      store.beat(row());
      if (o.sweep) o.sweep(liveIds(), now() - Math.floor(o.deadAfterMs / 2));
      store.prune(now() - PRUNE_AFTER_MS);
      beatFailures = 0;
    } catch (err) {
      // The next beat tries again; the others count this node dead only after deadAfterMs of these.
      if (beatFailures++ === 0) log.warn("node_beat_failed", String(err), { error: String(err) });
    }
  };
  const timer = setInterval(beat, beatMs);

  const relay = startRelay({
    url: o.url,
    nodeId: id,
    log,
    onNote: o.onNote,
    onResubscribed: o.onResubscribed,
  });
  let leaders: Leaders | null = null;

  return {
    id,
    leads: () => leaders?.held() ?? [],
    liveNodes: () => store.live(now() - o.deadAfterMs).map(toNodeView),
    liveIds,
    relay,
    lead(specs) {
      if (leaders || specs.length === 0) return;
      leaders = startLeaders({
        url: o.url,
        specs,
        log,
        retryMs: o.leaderRetryMs,
        onChange: (held) => {
          leads = held;
          beat();
        },
      });
    },
    async stopLeading() {
      await leaders?.stop();
    },
    async stop() {
      clearInterval(timer);
      await leaders?.stop();
      await relay.stop();
      try {
        store.remove(id);
      } catch (err) {
        log.warn("node_remove_failed", String(err), { error: String(err) });
      }
      log.info("node_left", id, { node_id: id });
    },
  };
}
