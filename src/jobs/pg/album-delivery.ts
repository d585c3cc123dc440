// Postgres: the bot's durable album report (bot_album_reports), same statements as
// ../sqlite/album-delivery.ts: due once every track is final and its own result settled, claimed by one
// guarded UPDATE (a lease of this node, so two leaders overlapping in a takeover never both send), "sent"
// only after Telegram answered ok.

import type { PgClient } from "../../db";
import type {
  AlbumReportRow,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliverySettled,
} from "../store";
import { FINAL_STATUSES } from "../types";
import { claimable, settledState } from "./bot-delivery";

const FINAL = `(${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/** Claimable (./bot-delivery.ts) with every track of the batch final and its own result settled. */
function due(lease: DeliveryLease, params: unknown[]): string {
  return `${claimable({ state: "r.state", by: "r.claimed_by", at: "r.claimed_at" }, lease, params)}
    AND EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = r.batch_id)
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = r.batch_id
      AND (j.status NOT IN ${FINAL} OR j.bot_delivery IN ('pending', 'claimed')))`;
}

type Raw = {
  batch_id: string;
  chat_id: string;
  state: AlbumReportRow["state"];
  claimed_by: string | null;
  claimed_at: number | string | null;
  attempts: number | string;
  error: string | null;
  created_at: number | string;
};

const fromRaw = (x: Raw): AlbumReportRow => ({
  batchId: x.batch_id,
  chatId: x.chat_id,
  state: x.state,
  claimedBy: x.claimed_by,
  claimedAt: x.claimed_at === null ? null : Number(x.claimed_at),
  attempts: Number(x.attempts),
  error: x.error,
  createdAt: Number(x.created_at),
});

export function insertAlbumReport(
  pg: PgClient,
  row: { batchId: string; chatId: string; createdAt: number },
): void {
  pg.run(
    `INSERT INTO bot_album_reports (batch_id, chat_id, created_at) VALUES ($1, $2, $3)
      ON CONFLICT (batch_id) DO NOTHING`,
    [row.batchId, row.chatId, row.createdAt],
  );
}

export function albumReportsDue(pg: PgClient, limit: number, lease: DeliveryLease): AlbumReportRow[] {
  const params: unknown[] = [limit];
  return pg
    .all<Raw>(
      `SELECT r.* FROM bot_album_reports r WHERE ${due(lease, params)} ORDER BY r.created_at LIMIT $1`,
      params,
    )
    .map(fromRaw);
}

export function claimAlbumReport(pg: PgClient, batchId: string, c: DeliveryClaim): boolean {
  const params: unknown[] = [batchId, c.by, c.at];
  return (
    pg.run(
      `UPDATE bot_album_reports r SET state = 'claimed', claimed_by = $2, claimed_at = $3, attempts = r.attempts + 1
        WHERE r.batch_id = $1 AND ${due(c, params)}`,
      params,
    ) > 0
  );
}

export function settleAlbumReport(
  pg: PgClient,
  batchId: string,
  by: string,
  o: DeliveryOutcome,
): DeliverySettled | undefined {
  const params: unknown[] = [batchId, by, o.ok ? null : o.error];
  const state = settledState(o, "attempts", params);
  const row = pg.get<{ state: DeliverySettled["state"]; attempts: number | string }>(
    `UPDATE bot_album_reports SET state = ${state}, error = $3
      WHERE batch_id = $1 AND state = 'claimed' AND claimed_by = $2
      RETURNING state, attempts`,
    params,
  );
  return row ? { state: row.state, attempts: Number(row.attempts) } : undefined;
}

/** Album reports whose batch has no job left (retention deleted them): nothing to report any more. */
export function pruneAlbumReports(pg: PgClient): number {
  return pg.run(
    "DELETE FROM bot_album_reports r WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = r.batch_id)",
  );
}
