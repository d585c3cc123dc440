// The SQLite implementation of JobStore: binds the statement modules to one connection.

import type { DbHandle } from "../../db";
import type { JobStore } from "../store";
import * as a from "./admin";
import * as ad from "./album-delivery";
import * as bd from "./bot-delivery";
import { enqueueJob, enqueueJobs } from "./enqueue";
import { queuedOfOwner } from "./fair";
import { pageOfUser } from "./history";
import { filesOfUser, forgetFiles } from "./purge";
import * as q from "./queue";
import * as r from "./reports";
import * as ret from "./retention";

export { CLAIM_SQL, PRIORITY_SLOT } from "./fair";

export function createSqliteJobStore(h: DbHandle): JobStore {
  return {
    enqueue: (row, max, charge) => enqueueJob(h, row, max, charge),
    enqueueAll: (rows, max, charge, album) => enqueueJobs(h, rows, max, charge, album),
    countQueuedOfOwner: (owner) => queuedOfOwner(h, owner),
    findByPublicId: (id) => q.findJobByPublicId(h, id),
    listByOwner: (owner, limit) => q.listJobsByOwner(h, owner, limit),
    listByBatch: (batch) => q.listJobsByBatch(h, batch),
    queuePosition: (row) => q.queuePosition(h, row),
    claimNext: (workerId, max, now) => q.claimNextJob(h, workerId, max, now),
    claimBatch: (workerId, max, now, limit) => q.claimJobBatch(h, workerId, max, now, limit),
    touchHeartbeat: (id, workerId, now) => q.touchHeartbeat(h, id, workerId, now),
    setProgress: (id, progress, stage, now) => q.setJobProgress(h, id, progress, stage, now),
    markDone: (id, workerId, f, now) => q.markJobDone(h, id, workerId, f, now),
    markFailed: (id, workerId, code, detail, now, keep) =>
      q.markJobFailed(h, id, workerId, code, detail, now, keep ?? null),
    release: (id, workerId) => q.releaseJob(h, id, workerId),
    markCancelled: (id, now) => q.markJobCancelled(h, id, now),
    queuedOfUser: (userId, owners) => q.queuedIdsOfUser(h, userId, owners),
    clearInputPath: (id) => q.clearInputPath(h, id),
    filesOfUser: (userId, owners) => filesOfUser(h, userId, owners),
    forgetFiles: (ids, now) => forgetFiles(h, ids, now),
    setBotMessage: (id, chat, msg) => q.setBotMessageIds(h, id, chat, msg),
    botDeliveriesDue: (limit, lease) => bd.botDeliveriesDue(h, limit, lease),
    claimBotDelivery: (id, claim) => bd.claimBotDelivery(h, id, claim),
    settleBotDelivery: (id, by, outcome) => bd.settleBotDelivery(h, id, by, outcome),
    findByBotUpdateKey: (key) => bd.findByBotUpdateKey(h, key),
    albumReportsDue: (limit, lease) => ad.albumReportsDue(h, limit, lease),
    claimAlbumReport: (batch, claim) => ad.claimAlbumReport(h, batch, claim),
    settleAlbumReport: (batch, by, outcome) => ad.settleAlbumReport(h, batch, by, outcome),
    reassignOwner: (from, to) => q.reassignJobOwner(h, from, to),
    requeueAbandoned: (o) => q.requeueAbandoned(h, o),
    expireDue: (now) => q.expireDueResults(h, now),
    hasQueued: () => q.hasQueuedJobs(h),
    unsuccessfulEndedSince: (since) => r.unsuccessfulEndedSince(h, since),
    countByStatus: () => r.countJobsByStatus(h),
    countQueued: () => r.countQueued(h),
    activeLines: (limit) => r.listActiveJobs(h, limit),
    recentFailures: (limit) => r.listRecentFailures(h, limit),
    statsSince: (since) => r.jobStatsSince(h, since),
    outcomesSince: (since) => r.outcomesSince(h, since),
    listRecords: (o) => r.listJobRecords(h, o),
    findRecord: (id) => r.findJobRecord(h, id),
    countsOfUser: (userId, owner) => r.countJobsOfUser(h, userId, owner),
    pageOfUser: (userId, limit, after) => pageOfUser(h, userId, limit, after),
    searchRecords: (f) => a.searchJobRecords(h, f),
    takeInput: (id) => a.takeInput(h, id),
    giveInputBack: (id, path) => a.giveInputBack(h, id, path),
    expireResultNow: (id, now) => a.expireResultNow(h, id, now),
    daySummary: (start, end) => ret.jobDaySummary(h, start, end),
    datesOfDeletable: (before, now) => ret.datesOfDeletableJobs(h, before, now),
    deleteOld(before, now, limit) {
      const out = ret.deleteOldJobs(h, before, now, limit);
      if (out.deleted > 0) ad.pruneAlbumReports(h);
      return out;
    },
    referencedPaths: () => ret.referencedPaths(h),
    activePublicIds: () => ret.activePublicIds(h),
  };
}
