// Postgres: the bot's durable result delivery (jobs.bot_delivery), same statements as
// ../sqlite/bot-delivery.ts. The claim is one guarded UPDATE, so two leaders overlapping in a takeover
// cannot both win a job.

import type { PgClient } from "../../db";
import type { JobRow } from "../store";
import { FINAL_STATUSES } from "../types";
import { fromRaw } from "./queue";

const FINAL = `(${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")})`;

export function botDeliveriesDue(pg: PgClient, limit: number): JobRow[] {
  return pg
    .all(
      `SELECT * FROM jobs WHERE bot_delivery = 'pending' AND status IN ${FINAL}
        ORDER BY finished_at, id LIMIT $1`,
      [limit],
    )
    .map(fromRaw);
}

export function claimBotDelivery(pg: PgClient, publicId: string): boolean {
  return (
    pg.run(
      `UPDATE jobs SET bot_delivery = 'sent'
        WHERE public_id = $1 AND bot_delivery = 'pending' AND status IN ${FINAL}`,
      [publicId],
    ) > 0
  );
}
