// Balance of a user with 1 M ledger rows (goal < 5 ms). The rows are written through the ledger store's
// own append (so the cached balance in ledger_balances is built the way the service builds it), then the
// balance read (one primary-key lookup of the cached sum) is timed against count(*) of the same rows and
// against SUM(delta) over the covering index (the balance before the cache) in the same run: the ratio is
// what holds across machines. The run fails if the cache and the sum disagree.
// bun bench/ledger-balance.ts [rows]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteLedgerStore } from "../src/billing";
import { SUM_SQL } from "../src/billing/sqlite";
import { closeDb, openDb, runMigrations } from "../src/db";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "mm-bench-ledger-"));
const dbh = openDb(join(dir, "bench.db"));
runMigrations(dbh);
dbh.sqlite.run("INSERT INTO users (telegram_id, tier) VALUES ('1', 'pro'), ('2', 'pro')");
const store = createSqliteLedgerStore(dbh);
// User 1 holds ROWS rows; user 2 one, so the reads must narrow by user.
const t0 = performance.now();
store.atomically(() => {
  for (let i = 1; i <= ROWS; i++)
    store.append({
      userId: 1,
      delta: i % 2 ? 2 : -1,
      reason: "bench",
      ref: `r${i}`,
      actor: "system",
      createdAt: i,
    });
  store.append({ userId: 2, delta: 5, reason: "bench", ref: "x", actor: "cli", createdAt: 0 });
});
const fillS = (performance.now() - t0) / 1000;
dbh.sqlite.run("ANALYZE");
const count = dbh.sqlite.prepare<{ n: number }, [number]>(
  "SELECT count(*) AS n FROM ledger WHERE user_id = ?1",
);
const sum = dbh.sqlite.prepare<{ b: number; n: number }, [number]>(SUM_SQL);

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

const cached = store.balance(1);
const summed = sum.get(1)?.b;
if (cached !== summed) throw new Error(`cached balance ${cached} differs from SUM(delta) ${summed}`);
// The cached read is a few microseconds: time it in batches of 1000 so the clock's resolution does not
// dominate, and report one read.
const BATCH = 1000;
const balance = time(() => {
  for (let i = 0; i < BATCH; i++) store.balance(1);
});
const balanceMs = balance.median / BATCH;
const baseline = time(() => count.get(1));
const summedT = time(() => sum.get(1));
console.log(
  `ledger-balance rows=${ROWS} balance=${cached} median_ms=${balanceMs.toFixed(4)} ` +
    `count_median_ms=${baseline.median.toFixed(2)} ratio=${(balanceMs / baseline.median).toFixed(5)} ` +
    `sum_median_ms=${summedT.median.toFixed(2)} ratio_vs_sum=${(balanceMs / summedT.median).toFixed(5)} ` +
    `fill_s=${fillS.toFixed(1)} goal_ms=5`,
);
closeDb(dbh);
rmSync(dir, { recursive: true, force: true });
