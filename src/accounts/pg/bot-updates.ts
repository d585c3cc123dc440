// The bot update store on Postgres (contract: ../bot-updates.ts).

import type { PgClient } from "../../db";
import type { BotUpdateStore } from "../bot-updates";

export function createPgBotUpdateStore(pg: PgClient): BotUpdateStore {
  return {
    claim: (updateId, at) =>
      pg.run(
        "INSERT INTO bot_updates (update_id, handled_at) VALUES ($1, $2) ON CONFLICT (update_id) DO NOTHING",
        [updateId, at],
      ) > 0,
    seen: (updateId) =>
      pg.get("SELECT 1 AS one FROM bot_updates WHERE update_id = $1", [updateId]) !== undefined,
    prune: (before) => pg.run("DELETE FROM bot_updates WHERE handled_at < $1", [before]),
  };
}
