// The bot update store on SQLite (contract: ../bot-updates.ts).

import { eq } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { BotUpdateStore } from "../bot-updates";

const { botUpdates } = schema;

export function createSqliteBotUpdateStore(h: DbHandle): BotUpdateStore {
  const claim = h.sqlite.prepare(
    "INSERT INTO bot_updates (update_id, handled_at) VALUES (?, ?) ON CONFLICT (update_id) DO NOTHING",
  );
  const prune = h.sqlite.prepare("DELETE FROM bot_updates WHERE handled_at < ?");
  return {
    claim: (updateId, at) => claim.run(updateId, at).changes === 1,
    seen: (updateId) =>
      h.db
        .select({ id: botUpdates.updateId })
        .from(botUpdates)
        .where(eq(botUpdates.updateId, updateId))
        .get() !== undefined,
    prune: (before) => prune.run(before).changes,
  };
}
