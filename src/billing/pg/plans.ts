// The Postgres implementation of PlanStore. Seeding takes an advisory lock, so two nodes starting on an
// empty table insert the defaults once (the second finds them and writes nothing).

import { getTableColumns } from "drizzle-orm";
import { insertSql, type PgClient, pgSchema, rowReader } from "../../db";
import type { PlanRow, PlanStore } from "../payment-store";
import { BYTES } from "./sql";

const read = rowReader(pgSchema.plans);
const COLUMNS = getTableColumns(pgSchema.plans) as Record<string, { name: string }>;
const SEED_LOCK = "SELECT pg_advisory_xact_lock(hashtext('mm.plans.seed'))";

export function createPgPlanStore(pg: PgClient): PlanStore {
  const get = (key: string): PlanRow | undefined => {
    const r = pg.get("SELECT * FROM plans WHERE key = $1", [key]);
    return r ? read(r) : undefined;
  };
  return {
    seed(rows, now) {
      pg.tx(() => {
        pg.run(SEED_LOCK);
        if ((pg.get<{ n: number }>("SELECT count(*) AS n FROM plans")?.n ?? 0) > 0) return;
        for (const r of rows) {
          const ins = insertSql(pgSchema.plans, { ...r, updatedAt: now });
          pg.run(ins.sql, ins.params);
        }
      });
    },
    list: () => pg.all(`SELECT * FROM plans ORDER BY sort, key ${BYTES}`).map(read),
    get,
    update(key, set, now) {
      const { key: _k, updatedAt: _u, ...rest } = set as Partial<PlanRow>;
      const pairs = Object.entries(rest).filter(([k, v]) => COLUMNS[k] && v !== undefined);
      const sets = pairs.map(([k], i) => `"${COLUMNS[k]?.name}" = $${i + 3}`);
      pg.run(`UPDATE plans SET ${["updated_at = $2", ...sets].join(", ")} WHERE key = $1`, [
        key,
        now,
        ...pairs.map(([, v]) => v),
      ]);
      const row = get(key);
      if (!row) throw new Error(`plans: ${key} vanished during update`);
      return row;
    },
    insert(row, now) {
      const ins = insertSql(pgSchema.plans, { ...row, updatedAt: now });
      const r = pg.get(
        ins.sql.replace(" RETURNING *", " ON CONFLICT (key) DO NOTHING RETURNING *"),
        ins.params,
      );
      return r ? read(r) : undefined;
    },
  };
}
