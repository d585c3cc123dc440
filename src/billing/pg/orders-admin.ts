// Orders as the admin panel lists them, on Postgres (contract: ../sqlite/orders-admin.ts).

import { type PgClient, pgSchema, rowReader } from "../../db";
import type { OrderAdmin } from "../sqlite/orders-admin";

const read = rowReader(pgSchema.orders);

export function createPgOrderAdmin(pg: PgClient): OrderAdmin {
  return {
    list(f, limit, offset) {
      const params: unknown[] = [];
      const where: string[] = [];
      const add = (cond: (p: string) => string, v: unknown) => {
        params.push(v);
        where.push(cond(`$${params.length}`));
      };
      if (f.status) add((p) => `status = ${p}`, f.status);
      if (f.provider) add((p) => `provider = ${p}`, f.provider);
      if (f.userId !== undefined) add((p) => `user_id = ${p}`, f.userId);
      if (f.plan) add((p) => `plan_key = ${p}`, f.plan);
      if (f.id) add((p) => `(id = ${p} OR provider_payment_id = ${p})`, f.id);
      if (f.from !== undefined) add((p) => `created_at >= ${p}`, f.from);
      if (f.to !== undefined) add((p) => `created_at < ${p}`, f.to);
      const cond = where.length ? ` WHERE ${where.join(" AND ")}` : "";
      const total = pg.get<{ n: number }>(`SELECT count(*) AS n FROM orders${cond}`, params)?.n ?? 0;
      const n = params.length;
      const rows = pg
        .all(
          `SELECT * FROM orders${cond} ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
          [...params, limit, offset],
        )
        .map(read);
      return { rows, total };
    },
  };
}
