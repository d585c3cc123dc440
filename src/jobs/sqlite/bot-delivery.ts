// SQLite: the bot's durable result delivery (jobs.bot_delivery). A bot job is born "pending"; whichever
// bot leader claims it (pending → sent, one guarded UPDATE) sends the result, so it goes out once even
// when the live event and a new leader's catch-up race, and a result finished while no node led is found.

import { and, asc, eq, inArray } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { JobRow } from "../store";
import { FINAL_STATUSES } from "../types";

const { jobs } = schema;

/** Finished bot jobs whose result no leader has claimed yet, oldest finished first. */
export function botDeliveriesDue(h: DbHandle, limit: number): JobRow[] {
  return h.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.botDelivery, "pending"), inArray(jobs.status, [...FINAL_STATUSES])))
    .orderBy(asc(jobs.finishedAt), asc(jobs.id))
    .limit(limit)
    .all();
}

/** pending → sent for a finished job; true for the one caller that won it. */
export function claimBotDelivery(h: DbHandle, publicId: string): boolean {
  const won = h.db
    .update(jobs)
    .set({ botDelivery: "sent" })
    .where(
      and(
        eq(jobs.publicId, publicId),
        eq(jobs.botDelivery, "pending"),
        inArray(jobs.status, [...FINAL_STATUSES]),
      ),
    )
    .returning({ id: jobs.id })
    .all();
  return won.length > 0;
}
