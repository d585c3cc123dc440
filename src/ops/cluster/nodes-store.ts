// The nodes table on Postgres (ops owns it): one row per running `serve` process, written at start-up,
// beaten every few seconds, deleted on a graceful stop. Liveness is read from heartbeat_at, so a node
// killed without a word simply stops beating and drops out of `live` after the dead interval.

import { insertSql, type PgClient, pgSchema as pgs, rowReader } from "../../db";

export type NodeRow = typeof pgs.nodes.$inferSelect;

const fromRaw = rowReader(pgs.nodes) as (raw: Record<string, unknown>) => NodeRow;

export type NodeStore = {
  /** Writes this node's row (replacing a row of the same id, which only a restart with it would leave). */
  register(row: NodeRow): void;
  /** Beats (and says which leader locks it holds); re-inserts the row if a sweep pruned it meanwhile. */
  beat(row: NodeRow): void;
  remove(id: string): void;
  /** Nodes that beat at or after `since`, oldest first. */
  live(since: number): NodeRow[];
  /** Deletes rows silent since before `before` (long dead); how many. */
  prune(before: number): number;
};

export function createPgNodeStore(pg: PgClient): NodeStore {
  const upsert = (row: NodeRow) => {
    const ins = insertSql(pgs.nodes, row);
    pg.run(
      `${ins.sql.replace(/ RETURNING \*$/, "")} ON CONFLICT (id) DO UPDATE SET roles = excluded.roles,
         leads = excluded.leads, heartbeat_at = excluded.heartbeat_at`,
      ins.params,
    );
  };
  return {
    register: upsert,
    beat: upsert,
    remove: (id) => void pg.run("DELETE FROM nodes WHERE id = $1", [id]),
    live: (since) =>
      pg.all("SELECT * FROM nodes WHERE heartbeat_at >= $1 ORDER BY started_at, id", [since]).map(fromRaw),
    prune: (before) => pg.run("DELETE FROM nodes WHERE heartbeat_at < $1", [before]),
  };
}
