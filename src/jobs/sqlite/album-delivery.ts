// SQLite: the bot's durable album report (bot_album_reports, one row per album batch the bot queued,
// born "pending" with the album's jobs). Due once every track of the batch is final and its own result
// settled (sent or given up), so the report always comes after the last track; claimed and settled like
// a job's result (./bot-delivery.ts): one guarded UPDATE, a lease of this node, "sent" only after
// Telegram answered ok.

import { and, asc, eq, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type {
  AlbumReportRow,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliverySettled,
} from "../store";
import { FINAL_STATUSES } from "../types";
import { claimable, settledState } from "./bot-delivery";

const { botAlbumReports: r } = schema;
const FINAL = sql.raw(`(${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")})`);

/** Claimable (./bot-delivery.ts) with every track of the batch final and its own result settled. */
function due(lease: DeliveryLease) {
  return sql`${claimable({ state: r.state, by: r.claimedBy, at: r.claimedAt }, lease)}
    AND EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = ${r.batchId})
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = ${r.batchId}
      AND (j.status NOT IN ${FINAL} OR j.bot_delivery IN ('pending', 'claimed')))`;
}

export function insertAlbumReport(
  h: DbHandle,
  row: { batchId: string; chatId: string; createdAt: number },
): void {
  h.db.insert(r).values(row).onConflictDoNothing().run();
}

export function albumReportsDue(h: DbHandle, limit: number, lease: DeliveryLease): AlbumReportRow[] {
  return h.db.select().from(r).where(due(lease)).orderBy(asc(r.createdAt)).limit(limit).all();
}

export function claimAlbumReport(h: DbHandle, batchId: string, c: DeliveryClaim): boolean {
  const won = h.db
    .update(r)
    .set({ state: "claimed", claimedBy: c.by, claimedAt: c.at, attempts: sql`${r.attempts} + 1` })
    .where(and(eq(r.batchId, batchId), due(c)))
    .returning({ batchId: r.batchId })
    .all();
  return won.length > 0;
}

export function settleAlbumReport(
  h: DbHandle,
  batchId: string,
  by: string,
  o: DeliveryOutcome,
): DeliverySettled | undefined {
  const [row] = h.db
    .update(r)
    .set({ state: settledState(o, r.attempts), error: o.ok ? null : o.error })
    .where(and(eq(r.batchId, batchId), eq(r.state, "claimed"), eq(r.claimedBy, by)))
    .returning({ state: r.state, attempts: r.attempts })
    .all();
  return row ? { state: row.state as DeliverySettled["state"], attempts: row.attempts } : undefined;
}

/** Album reports whose batch has no job left (retention deleted them): nothing to report any more. */
export function pruneAlbumReports(h: DbHandle): number {
  return h.db
    .delete(r)
    .where(sql`NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = ${r.batchId})`)
    .returning({ batchId: r.batchId })
    .all().length;
}
