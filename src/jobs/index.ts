// Public face of the job system: the durable SQLite queue, the worker pool and the event bus.
// Other folders import from here only (never store.ts or sqlite/).

import { schema } from "../db";

export const { JOB_KINDS, JOB_SOURCES, JOB_STATUSES } = schema;
export { albumPlanPathOf, batchToken, batchTokenMatches } from "./album";
export { batchAlbumReport } from "./album-report";
export { decodeAnalysis } from "./analysis";
export { createJobStore } from "./backend";
export type { EngineOutcome, EngineRunOptions, JobEngine, JobSettings } from "./engine";
export { audioEngine } from "./engine";
export { newPublicId, normalisePublicId, PUBLIC_ID_PATTERN } from "./ids";
export { MAX_ATTEMPTS } from "./maintenance";
export type { AlternateState, AlternateStatus } from "./results";
export { createJobService, type JobServiceDeps } from "./service";
export { createSqliteJobStore } from "./sqlite";
export type {
  AdminJobFilter,
  AdminJobLine,
  FailureLine,
  JobCounts,
  JobDaySummary,
  JobRecord,
  JobStore,
  JobWindowStats,
  OwnerRef,
  UserJobCounts,
  UserJobsCursor,
} from "./store";
export { submitAll } from "./submit-all";
export {
  type AlbumReportDue,
  FINAL_STATUSES,
  type HistoryPage,
  isFinal,
  type JobEvent,
  type JobKind,
  type JobReports,
  type JobRetention,
  type JobService,
  type JobSource,
  type JobStatus,
  type JobView,
  type LiveWorkers,
  type RecoveryCounts,
  type ResultFile,
  type SubmitRequest,
} from "./types";
