// Public face of operations: health, metrics, smoke checks and the data folder's lock.

export {
  type ClusterNode,
  createPgNodeStore,
  LEADER_KEYS,
  type LeaderRole,
  type LeaderSpec,
  type NodeView,
  newNodeId,
  startClusterNode,
} from "./cluster";
export { type DataFolderLock, DataFolderLockedError, LOCK_FILE, lockDataFolder, lockRoles } from "./datalock";
export {
  type BotState,
  type ClusterHealth,
  cachedFfmpeg,
  checkHealth,
  type FfmpegStatus,
  freeDiskMb,
  type Health,
  type HealthDeps,
  sharedHealth,
  type WorkerNode,
} from "./health";
export { buildMetrics, type Metrics, type OrderFigures, paymentFigures, toPrometheus } from "./metrics";
export { ALL_ROLES, parseRoles, ROLES, type Role, type RoleSet, roleList } from "./roles";
export {
  databaseChecks,
  formatSmokeTable,
  httpChecks,
  localChecks,
  runSmoke,
  type SmokeCheck,
  type SmokeResult,
} from "./smoke";
export {
  createDailyStats,
  type DailyStats,
  type DailyStatsDeps,
  type DayStats,
  type DayStatsRow,
  type StatsRow,
} from "./stats";
export { createStatsStore, type StatsStore } from "./stats-store";
export { DAY_MS, dateStart, jobRetentionCutoff, startOfUtcDay, utcDate } from "./utc-day";
