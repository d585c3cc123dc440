// Balance of a user with 1 M ledger rows (goal < 5 ms): SUM(delta) on the covering index, against a plain
// SELECT count(*) of the same rows in the same run (the ratio is what holds across machines).
// bun bench/ledger-balance.ts [rows]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteLedgerStore } from "../src/billing";
import { closeDb, openDb, runMigrations } from "../src/db";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "mm-bench-ledger-"));
const dbh = openDb(join(dir, "bench.db"));
runMigrations(dbh);
dbh.sqlite.run("INSERT INTO users (telegram_id, tier) VALUES ('1', 'pro'), ('2', 'pro')");
// User 1 holds ROWS rows; user 2 a few, so the index must narrow by user.
dbh.sqlite.run(
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
   INSERT INTO ledger (user_id, delta, reason, ref, actor, created_at)
   SELECT 1, CASE WHEN i % 2 THEN 2 ELSE -1 END, 'bench', 'r' || i, 'system', i FROM n`,
);
dbh.sqlite.run(
  "INSERT INTO ledger (user_id, delta, reason, ref, actor, created_at) VALUES (2, 5, 'bench', 'x', 'cli', 0)",
);
dbh.sqlite.run("ANALYZE");
const store = createSqliteLedgerStore(dbh);
const count = dbh.sqlite.prepare<{ n: number }, [number]>(
  "SELECT count(*) AS n FROM ledger WHERE user_id = ?1",
);

function time(fn: () => unknown, n = 20): { median: number } {
  fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(n / 2)] ?? 0 };
}

const balance = time(() => store.balance(1));
const baseline = time(() => count.get(1));
console.log(
  `ledger-balance rows=${ROWS} balance=${store.balance(1)} median_ms=${balance.median.toFixed(2)} ` +
    `count_median_ms=${baseline.median.toFixed(2)} ratio=${(balance.median / baseline.median).toFixed(2)} goal_ms=5`,
);
closeDb(dbh);
rmSync(dir, { recursive: true, force: true });
