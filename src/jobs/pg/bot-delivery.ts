// Postgres: the bot's durable result delivery (jobs.bot_delivery), same statements as
// ../sqlite/bot-delivery.ts. The claim is one guarded UPDATE (pending, or claimed by a node that is no
// longer live / past its lease → claimed by this node), so two leaders overlapping in a takeover never
// both send; the row says "sent" only after Telegram answered ok.

import { type PgClient, placeholders } from "../../db";
import type { DeliveryClaim, DeliveryLease, DeliveryOutcome, DeliverySettled, JobRow } from "../store";
import { FINAL_STATUSES } from "../types";
import { fromRaw } from "./queue";

const FINAL = `(${FINAL_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * A lease's claimable condition on `state`/`by`/`at` columns (pending, or claimed by a node not live or
 * before the lease), its params appended to `params` (the lease's time, then the live node ids). Shared
 * with the album report's claim (./album-delivery.ts).
 */
export function claimable(
  c: { state: string; by: string; at: string },
  lease: DeliveryLease,
  params: unknown[],
): string {
  params.push(lease.staleBefore);
  const at = `$${params.length}`;
  const before = params.length;
  params.push(...lease.live);
  const orphan =
    lease.live.length > 0 ? `${c.by} NOT IN (${placeholders(lease.live.length, before)})` : "TRUE";
  return `(${c.state} = 'pending' OR (${c.state} = 'claimed' AND (
    ${c.at} IS NULL OR ${c.by} IS NULL OR ${c.at} < ${at} OR ${orphan})))`;
}

/**
 * The state a settled claim takes, its params appended to `params`: sent, or after a failed send pending
 * again unless told to give up or `attempts` reached the bound (then failed). Shared with the album report.
 */
export function settledState(o: DeliveryOutcome, attempts: string, params: unknown[]): string {
  if (o.ok) return `'sent'`;
  params.push(o.giveUp, o.maxAttempts);
  const n = params.length;
  return `CASE WHEN $${n - 1} OR ${attempts} >= $${n} THEN 'failed' ELSE 'pending' END`;
}

/** A finished job's result nobody is sending. */
const due = (lease: DeliveryLease, params: unknown[]) =>
  `status IN ${FINAL} AND ${claimable({ state: "bot_delivery", by: "bot_delivery_by", at: "bot_delivery_at" }, lease, params)}`;

export function botDeliveriesDue(pg: PgClient, limit: number, lease: DeliveryLease): JobRow[] {
  const params: unknown[] = [limit];
  return pg
    .all(`SELECT * FROM jobs WHERE ${due(lease, params)} ORDER BY finished_at, id LIMIT $1`, params)
    .map(fromRaw);
}

export function claimBotDelivery(pg: PgClient, publicId: string, c: DeliveryClaim): boolean {
  const params: unknown[] = [publicId, c.by, c.at];
  return (
    pg.run(
      `UPDATE jobs SET bot_delivery = 'claimed', bot_delivery_by = $2, bot_delivery_at = $3,
         bot_delivery_attempts = bot_delivery_attempts + 1
        WHERE public_id = $1 AND ${due(c, params)}`,
      params,
    ) > 0
  );
}

export function settleBotDelivery(
  pg: PgClient,
  publicId: string,
  by: string,
  o: DeliveryOutcome,
): DeliverySettled | undefined {
  const params: unknown[] = [publicId, by, o.ok ? null : o.error];
  const state = settledState(o, "bot_delivery_attempts", params);
  const row = pg.get<{ bot_delivery: DeliverySettled["state"]; bot_delivery_attempts: number | string }>(
    `UPDATE jobs SET bot_delivery = ${state}, bot_delivery_error = $3
      WHERE public_id = $1 AND bot_delivery = 'claimed' AND bot_delivery_by = $2
      RETURNING bot_delivery, bot_delivery_attempts`,
    params,
  );
  return row ? { state: row.bot_delivery, attempts: Number(row.bot_delivery_attempts) } : undefined;
}

/** The job a Telegram update made (jobs.bot_update_key), if any. */
export function findByBotUpdateKey(pg: PgClient, key: string): JobRow | undefined {
  const raw = pg.get("SELECT * FROM jobs WHERE bot_update_key = $1", [key]);
  return raw ? fromRaw(raw) : undefined;
}
