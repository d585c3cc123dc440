// The Postgres implementation of JobStore: binds the statement modules to one synchronous client.
// Transactions (`enqueue`'s and `enqueueAll`'s `charge` included) run on that client's one connection, so a charge written
// by another area's Postgres store through the same client commits or rolls back with the job row.

import type { PgClient } from "../../db";
import type { JobStore } from "../store";
import * as a from "./admin";
import * as ad from "./album-delivery";
import * as bd from "./bot-delivery";
import * as e from "./enqueue";
import * as q from "./queue";
import * as r from "./reads";

export { PG_CLAIM_BATCH_SQL, PG_CLAIM_SQL } from "./queue";

export function createPgJobStore(pg: PgClient): JobStore {
  return {
    enqueue: (row, max, charge) => e.enqueue(pg, row, max, charge),
    enqueueAll: (rows, max, charge, album) => e.enqueueAll(pg, rows, max, charge, album),
    countQueuedOfOwner: (owner) => e.countQueuedOfOwner(pg, owner),
    findByPublicId: (id) => r.findByPublicId(pg, id),
    listByOwner: (owner, limit) => r.listByOwner(pg, owner, limit),
    listByBatch: (batch) => r.listByBatch(pg, batch),
    queuePosition: (row) => q.queuePosition(pg, row),
    claimNext: (workerId, max, now) => q.claimNext(pg, workerId, max, now),
    claimBatch: (workerId, max, now, limit) => q.claimBatch(pg, workerId, max, now, limit),
    touchHeartbeat: (id, workerId, now) => q.touchHeartbeat(pg, id, workerId, now),
    setProgress: (id, progress, stage, now) => q.setProgress(pg, id, progress, stage, now),
    markDone: (id, workerId, f, now) => q.markDone(pg, id, workerId, f, now),
    markFailed: (id, workerId, code, detail, now, keep) =>
      q.markFailed(pg, id, workerId, code, detail, now, keep ?? null),
    release: (id, workerId) => q.release(pg, id, workerId),
    markCancelled: (id, now) => q.markCancelled(pg, id, now),
    queuedOfUser: (userId, owners) => r.queuedOfUser(pg, userId, owners),
    clearInputPath: (id) => void pg.run("UPDATE jobs SET input_path = NULL WHERE id = $1", [id]),
    filesOfUser: (userId, owners) => r.filesOfUser(pg, userId, owners),
    forgetFiles: (ids, now) => r.forgetFiles(pg, ids, now),
    setBotMessage: (id, chat, msg) =>
      void pg.run("UPDATE jobs SET bot_chat_id = $2, bot_message_id = $3 WHERE public_id = $1", [
        id,
        chat,
        msg,
      ]),
    botDeliveriesDue: (limit, lease) => bd.botDeliveriesDue(pg, limit, lease),
    claimBotDelivery: (id, claim) => bd.claimBotDelivery(pg, id, claim),
    settleBotDelivery: (id, by, outcome) => bd.settleBotDelivery(pg, id, by, outcome),
    findByBotUpdateKey: (key) => bd.findByBotUpdateKey(pg, key),
    albumReportsDue: (limit, lease) => ad.albumReportsDue(pg, limit, lease),
    claimAlbumReport: (batch, claim) => ad.claimAlbumReport(pg, batch, claim),
    settleAlbumReport: (batch, by, outcome) => ad.settleAlbumReport(pg, batch, by, outcome),
    reassignOwner: (from, to) => r.reassignOwner(pg, from, to),
    requeueAbandoned: (o) => q.requeueAbandoned(pg, o),
    expireDue: (now) => q.expireDue(pg, now),
    hasQueued: () => r.hasQueued(pg),
    unsuccessfulEndedSince: (since) => r.unsuccessfulEndedSince(pg, since),
    countByStatus: () => r.countByStatus(pg),
    countQueued: () => r.countQueued(pg),
    activeLines: (limit) => r.activeLines(pg, limit),
    recentFailures: (limit) => r.recentFailures(pg, limit),
    statsSince: (since) => r.statsSince(pg, since),
    outcomesSince: (since) => r.outcomesSince(pg, since),
    listRecords: (o) => r.listRecords(pg, o),
    findRecord: (id) => r.findRecord(pg, id),
    countsOfUser: (userId, owner) => r.countsOfUser(pg, userId, owner),
    pageOfUser: (userId, limit, after) => r.pageOfUser(pg, userId, limit, after),
    searchRecords: (f) => a.searchRecords(pg, f),
    takeInput: (id) => a.takeInput(pg, id),
    giveInputBack: (id, path) => a.giveInputBack(pg, id, path),
    expireResultNow: (id, now) => a.expireResultNow(pg, id, now),
    daySummary: (start, end) => a.daySummary(pg, start, end),
    datesOfDeletable: (before, now) => a.datesOfDeletable(pg, before, now),
    deleteOld(before, now, limit) {
      const out = a.deleteOld(pg, before, now, limit);
      if (out.deleted > 0) ad.pruneAlbumReports(pg);
      return out;
    },
    referencedPaths: () => a.referencedPaths(pg),
    activePublicIds: () => a.activePublicIds(pg),
  };
}
