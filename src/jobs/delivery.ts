// The job service's side of the bot's result delivery (jobs.bot_delivery, the rows in ./sqlite and ./pg
// bot-delivery.ts): which deliveries are due, the claim and its settling. A claim is a lease held by this
// node's id; it stands while the node is live (the cluster's nodes table; on SQLite the one process) and
// for at most DELIVERY_LEASE_MS, so a leader killed mid-send leaves it due for the next one.

import { normalisePublicId } from "./ids";
import type { DeliveryLease, DeliveryOutcome, DeliverySettled, JobRow, JobStore } from "./store";
import type { AlbumReportDue, JobView } from "./types";

/** A claim older than this is due again even if its node still beats (a send hung on a live node). */
export const DELIVERY_LEASE_MS = 15 * 60_000;

export type BotDeliveryDeps = {
  store: JobStore;
  view: (row: JobRow) => JobView;
  /** This node's id: the claims it makes carry it. */
  nodeId: string;
  /** Ids of the nodes alive now (cluster); default: this one only (SQLite has one process per file). */
  liveNodes?: () => readonly string[];
  now: () => number;
};

export type BotDelivery = {
  botDeliveriesDue(limit?: number): JobView[];
  claimBotDelivery(publicId: string): boolean;
  settleBotDelivery(publicId: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
  byBotUpdate(key: string): JobView | undefined;
  /** Album reports owed to their chats now (every track final, its result settled), oldest first. */
  albumReportsDue(limit?: number): AlbumReportDue[];
  /** Claims a due album report for this node; false if another sender holds it, it was sent or is not due. */
  claimAlbumReport(batchId: string): boolean;
  settleAlbumReport(batchId: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
};

export function createBotDelivery(d: BotDeliveryDeps): BotDelivery {
  const lease = (): DeliveryLease => {
    const live = new Set(d.liveNodes?.() ?? []);
    // This node counts as live even when its own beat lagged: it never takes back its own claim.
    live.add(d.nodeId);
    return { live: [...live], staleBefore: d.now() - DELIVERY_LEASE_MS };
  };
  return {
    botDeliveriesDue: (limit = 100) => d.store.botDeliveriesDue(limit, lease()).map(d.view),
    claimBotDelivery(publicId) {
      const id = normalisePublicId(publicId);
      return id ? d.store.claimBotDelivery(id, { ...lease(), by: d.nodeId, at: d.now() }) : false;
    },
    byBotUpdate(key) {
      const row = d.store.findByBotUpdateKey(key);
      return row ? d.view(row) : undefined;
    },
    albumReportsDue: (limit = 100) =>
      d.store.albumReportsDue(limit, lease()).map((r) => ({ batchId: r.batchId, chatId: r.chatId })),
    claimAlbumReport: (batchId) =>
      d.store.claimAlbumReport(batchId, { ...lease(), by: d.nodeId, at: d.now() }),
    settleAlbumReport: (batchId, outcome) => d.store.settleAlbumReport(batchId, d.nodeId, outcome),
    settleBotDelivery(publicId, outcome) {
      const id = normalisePublicId(publicId);
      return id ? d.store.settleBotDelivery(id, d.nodeId, outcome) : undefined;
    },
  };
}
