// The migration that adds ledger_balances fills it from the rows written before it existed, on a real
// SQLite file migrated in two steps like an upgrade; the store then keeps it from there.
import { afterEach, beforeEach, expect, it } from "bun:test";
import { join } from "node:path";
import { createSqliteLedgerStore } from "../../../src/billing";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { cleanup, tempDir } from "../../fixtures/audio";
import { migrateBefore } from "../../fixtures/migrations";

let dir: string;
let h: DbHandle;
beforeEach(async () => {
  dir = await tempDir("mm-balances-mig-");
  h = openDb(join(dir, "q.db"));
});
afterEach(async () => {
  h.sqlite.close();
  await cleanup(dir);
});

it("backfills each user's cached balance and row count from the existing ledger rows", () => {
  // The schema as it was before the cache.
  migrateBefore(h, dir, "ledger_balances");
  h.sqlite.run("INSERT INTO users (id, telegram_id) VALUES (1, '1'), (2, '2'), (3, '3')");
  const add = h.sqlite.prepare(
    "INSERT INTO ledger (user_id, delta, reason, ref, created_at) VALUES (?1, ?2, 'r', ?3, ?4)",
  );
  add.run(1, 10, "a", 100);
  add.run(1, -3, "b", 200);
  add.run(2, 5, "c", 300);
  expect(runMigrations(h)).toBeGreaterThan(0);
  const rows = h.sqlite
    .query("SELECT user_id, balance, rows, updated_at FROM ledger_balances ORDER BY user_id")
    .all();
  expect(rows).toEqual([
    { user_id: 1, balance: 7, rows: 2, updated_at: 200 },
    { user_id: 2, balance: 5, rows: 1, updated_at: 300 },
  ]);
  const store = createSqliteLedgerStore(h);
  expect([store.balance(1), store.balance(2), store.balance(3)]).toEqual([7, 5, 0]);
  store.append({ userId: 1, delta: -2, reason: "r", ref: "d", actor: "cli", createdAt: 400 });
  expect(store.balance(1)).toBe(5);
});
