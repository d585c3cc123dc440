// SQLite: the bot's durable result delivery (jobs.bot_delivery). A bot job is born "pending"; a bot
// leader claims it (→ "claimed" by its node id at a time: a lease, one guarded UPDATE, so two leaders
// never send at once), sends, and only then marks it "sent". A claim whose node is gone (a restart: the
// one process that owns this file has a new id) or whose lease ran out is due again, so a process killed
// between the claim and Telegram's answer loses nothing.

import { and, asc, eq, inArray, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type DbHandle, schema } from "../../db";
import type { DeliveryClaim, DeliveryLease, DeliveryOutcome, DeliverySettled, JobRow } from "../store";
import { FINAL_STATUSES } from "../types";

const { jobs } = schema;

/**
 * A lease's claimable condition on `state`/`by`/`at` columns: pending, or claimed by a node not in
 * `live` / before the lease. Shared with the album report's claim (./album-delivery.ts).
 */
export function claimable(
  c: { state: SQLiteColumn; by: SQLiteColumn; at: SQLiteColumn },
  lease: DeliveryLease,
): SQL {
  const orphan = lease.live.length > 0 ? notInArray(c.by, [...lease.live]) : sql`1 = 1`;
  return or(
    eq(c.state, "pending"),
    and(
      eq(c.state, "claimed"),
      or(lt(c.at, lease.staleBefore), orphan, sql`${c.by} IS NULL`, sql`${c.at} IS NULL`),
    ),
  ) as SQL;
}

/**
 * The state a settled claim takes: sent, or after a failed send pending again unless told to give up or
 * `attempts` reached the bound (then failed). Shared with the album report's settle.
 */
export function settledState(o: DeliveryOutcome, attempts: SQLiteColumn): SQL {
  return o.ok
    ? sql`'sent'`
    : sql`CASE WHEN ${o.giveUp ? 1 : 0} = 1 OR ${attempts} >= ${o.maxAttempts} THEN 'failed' ELSE 'pending' END`;
}

/** A finished bot job nobody is sending. */
const due = (lease: DeliveryLease) =>
  and(
    inArray(jobs.status, [...FINAL_STATUSES]),
    claimable({ state: jobs.botDelivery, by: jobs.botDeliveryBy, at: jobs.botDeliveryAt }, lease),
  );

export function botDeliveriesDue(h: DbHandle, limit: number, lease: DeliveryLease): JobRow[] {
  return h.db
    .select()
    .from(jobs)
    .where(due(lease))
    .orderBy(asc(jobs.finishedAt), asc(jobs.id))
    .limit(limit)
    .all();
}

export function claimBotDelivery(h: DbHandle, publicId: string, c: DeliveryClaim): boolean {
  const won = h.db
    .update(jobs)
    .set({
      botDelivery: "claimed",
      botDeliveryBy: c.by,
      botDeliveryAt: c.at,
      botDeliveryAttempts: sql`${jobs.botDeliveryAttempts} + 1`,
    })
    .where(and(eq(jobs.publicId, publicId), due(c)))
    .returning({ id: jobs.id })
    .all();
  return won.length > 0;
}

export function settleBotDelivery(
  h: DbHandle,
  publicId: string,
  by: string,
  o: DeliveryOutcome,
): DeliverySettled | undefined {
  const [row] = h.db
    .update(jobs)
    .set({ botDelivery: settledState(o, jobs.botDeliveryAttempts), botDeliveryError: o.ok ? null : o.error })
    .where(and(eq(jobs.publicId, publicId), eq(jobs.botDelivery, "claimed"), eq(jobs.botDeliveryBy, by)))
    .returning({ state: jobs.botDelivery, attempts: jobs.botDeliveryAttempts })
    .all();
  return row ? { state: row.state as DeliverySettled["state"], attempts: row.attempts } : undefined;
}

/** The job a Telegram update made (jobs.bot_update_key), if any. */
export function findByBotUpdateKey(h: DbHandle, key: string): JobRow | undefined {
  return h.db.select().from(jobs).where(eq(jobs.botUpdateKey, key)).get();
}
