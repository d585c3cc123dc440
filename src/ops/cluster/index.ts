// Public face of the cluster layer (Postgres only): node rows and heartbeats, leader locks, job relay.

export { LEADER_KEYS, type LeaderRole, type LeaderSpec, type Leaders, startLeaders } from "./leaders";
export {
  type ClusterNode,
  type ClusterNodeOptions,
  type NodeView,
  newNodeId,
  startClusterNode,
  toNodeView,
} from "./node";
export { createPgNodeStore, type NodeRow, type NodeStore } from "./nodes-store";
export { JOBS_CHANNEL, type JobNote, type Relay, startRelay } from "./relay";
