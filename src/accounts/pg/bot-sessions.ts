// The bot session store on Postgres (contract: ../bot-sessions.ts).

import type { PgClient } from "../../db";
import type { BotSessionStore } from "../bot-sessions";

export function createPgBotSessionStore(pg: PgClient, now: () => number = Date.now): BotSessionStore {
  return {
    read: (key) => pg.get<{ value: string }>("SELECT value FROM bot_sessions WHERE key = $1", [key])?.value,
    write(key, value) {
      pg.run(
        `INSERT INTO bot_sessions (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [key, value, now()],
      );
    },
    delete(key) {
      pg.run("DELETE FROM bot_sessions WHERE key = $1", [key]);
    },
    has: (key) => pg.get("SELECT 1 AS one FROM bot_sessions WHERE key = $1", [key]) !== undefined,
  };
}
