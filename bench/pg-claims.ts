// Claims per second on Postgres (issue 16, goal ≥ 2 000 claims/s): N queued jobs of 50 owners, claimed by
// 1, 2, 4 and 8 processes at once (MM_BENCH_PROCESSES=1,2,4,8) through the Postgres JobStore (one `UPDATE … FOR UPDATE SKIP LOCKED`
// statement over the synchronous bridge), each claim followed by markDone as a worker would. Reported:
// claims/s over the wall time (claim + finish cycles of all processes together) and claims/s inside
// claimNext alone per process. A throw-away server from the test harness (fsync off: the figure is
// the claim path's, not the disk's). The same runs once more without the claim's two partial indexes
// (migration claim_indexes) give the index's effect as a ratio measured in the same process.
import { PgClient } from "../src/db/pg";
import { startPostgres } from "../test/fixtures/postgres";
import { raceClaimers, seedQueued } from "../test/fixtures/postgres-claims";

const N = Number(process.env.MM_BENCH_CLAIMS ?? 6000);
const PROCESSES = (process.env.MM_BENCH_PROCESSES ?? "1,2,4,8").split(",").map(Number);
const CLAIM_INDEXES = ["jobs_queued_fair_idx", "jobs_running_owner_idx"];
const server = await startPostgres();
try {
  const runs: Record<string, unknown>[] = [];
  const plans = [
    ...PROCESSES.map((processes) => ({ processes, indexes: true })),
    ...PROCESSES.map((processes) => ({ processes, indexes: false })),
  ];
  for (const { processes, indexes } of plans) {
    const url = server.freshDatabase();
    const pg = PgClient.connect(url);
    if (!indexes) pg.run(`DROP INDEX ${CLAIM_INDEXES.join(", ")}`);
    seedQueued(pg, N, 50);
    pg.run("ANALYZE jobs");
    const { results, wallS } = await raceClaimers(url, processes);
    const claimed = results.reduce((n, r) => n + r.claimed.length, 0);
    const left = pg.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE status <> 'done'")?.n;
    pg.close();
    runs.push({
      processes,
      claim_indexes: indexes,
      claimed,
      not_done: left,
      cycles_per_s: Math.round(claimed / wallS),
      claim_only_per_s_per_process: Math.round(
        results.reduce((s, r) => s + r.claimed.length / Math.max(r.claimS, 1e-9), 0) / results.length,
      ),
    });
  }
  // Baseline in the same run: the bridge's round trip alone (SELECT 1), so the ratio survives a busy machine.
  const pg = PgClient.connect(server.url());
  const R = 2000;
  const t0 = performance.now();
  for (let i = 0; i < R; i++) pg.get("SELECT 1 AS one");
  const roundTripsPerS = Math.round(R / ((performance.now() - t0) / 1000));
  pg.close();
  const bestOf = (indexes: boolean) =>
    Math.max(...runs.filter((r) => r.claim_indexes === indexes).map((r) => r.cycles_per_s as number));
  const best = bestOf(true);
  console.log(
    JSON.stringify({
      bench: "pg-claims",
      jobs: N,
      runs,
      best_cycles_per_s: best,
      best_cycles_per_s_without_claim_indexes: bestOf(false),
      index_ratio: +(best / bestOf(false)).toFixed(2),
      baseline_select1_per_s: roundTripsPerS,
      ratio_claim_only_vs_select1: +(
        (runs[0]?.claim_only_per_s_per_process as number) / roundTripsPerS
      ).toFixed(3),
      goal: ">= 2000 claims/s",
    }),
  );
} finally {
  server.stop();
}
