// Claims per second on Postgres (issue 16, goal ≥ 2 000 claims/s): N queued jobs of 50 owners, claimed by
// 1, 2, 4 and 8 processes at once (MM_BENCH_PROCESSES=1,2,4,8) through the Postgres JobStore, each claim
// followed by markDone as a worker would. Each process count runs twice on a fresh database:
// - batch 1: one claimNext statement per job (how the pool claimed before claimBatch), the baseline;
// - batch B (MM_BENCH_BATCH, default 4): claimBatch fills B free slots in one statement, as the pool does.
// Reported per run: claim+done cycles/s over the wall time (all processes), claims/s inside the claim calls
// per process, and CPU milliseconds per cycle of the claimers and of their server backends (from /proc:
// a busy machine stretches wall time, much less the CPU a cycle costs), plus the machine load at start.
// A throw-away server from the test harness (fsync off: the figure is the claim path's, not the disk's).
// MM_BENCH_INDEX_RUNS=1 adds batch-1 runs without the claim's two partial indexes (their effect as a ratio).
import { availableParallelism, loadavg } from "node:os";
import { PgClient } from "../src/db/pg";
import { startPostgres } from "../test/fixtures/postgres";
import { raceClaimers, seedQueued } from "../test/fixtures/postgres-claims";

const N = Number(process.env.MM_BENCH_CLAIMS ?? 6000);
const PROCESSES = (process.env.MM_BENCH_PROCESSES ?? "1,2,4,8").split(",").map(Number);
const BATCH = Number(process.env.MM_BENCH_BATCH ?? 4);
const CLAIM_INDEXES = ["jobs_queued_fair_idx", "jobs_running_owner_idx"];
const load = (): number[] => loadavg().map((l) => +l.toFixed(2));
const startLoad = load();
type Plan = { processes: number; batch: number; indexes: boolean };
type Run = Plan & {
  claimed: number;
  not_done: number | undefined;
  cycles_per_s: number;
  claims_per_s_in_claim_calls_per_process: number;
  client_cpu_ms_per_cycle: number;
  server_cpu_ms_per_cycle: number;
  load_1m: number;
};
const server = await startPostgres();
try {
  const runs: Run[] = [];
  const plans: Plan[] = [
    ...PROCESSES.flatMap((processes) => [
      { processes, batch: 1, indexes: true },
      { processes, batch: BATCH, indexes: true },
    ]),
    ...(process.env.MM_BENCH_INDEX_RUNS === "1"
      ? PROCESSES.map((processes) => ({ processes, batch: 1, indexes: false }))
      : []),
  ];
  for (const plan of plans) {
    const url = server.freshDatabase();
    const pg = PgClient.connect(url);
    if (!plan.indexes) pg.run(`DROP INDEX ${CLAIM_INDEXES.join(", ")}`);
    seedQueued(pg, N, 50);
    pg.run("ANALYZE jobs");
    const load1 = load()[0] ?? 0;
    const { results, wallS } = await raceClaimers(url, plan.processes, plan.batch);
    const claimed = results.reduce((n, r) => n + r.claimed.length, 0);
    const left = pg.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE status <> 'done'")?.n;
    pg.close();
    const perCycleMs = (s: number) => +((s * 1000) / claimed).toFixed(3);
    runs.push({
      ...plan,
      claimed,
      not_done: left,
      cycles_per_s: Math.round(claimed / wallS),
      claims_per_s_in_claim_calls_per_process: Math.round(
        results.reduce((s, r) => s + r.claimed.length / Math.max(r.claimS, 1e-9), 0) / results.length,
      ),
      client_cpu_ms_per_cycle: perCycleMs(results.reduce((s, r) => s + r.cpuS, 0)),
      server_cpu_ms_per_cycle: perCycleMs(results.reduce((s, r) => s + r.backendCpuS, 0)),
      load_1m: load1,
    });
  }
  // Baseline in the same run: the bridge's round trip alone (SELECT 1), so the ratio survives a busy machine.
  const pg = PgClient.connect(server.url());
  const R = 2000;
  const t0 = performance.now();
  for (let i = 0; i < R; i++) pg.get("SELECT 1 AS one");
  const roundTripsPerS = Math.round(R / ((performance.now() - t0) / 1000));
  pg.close();
  const pick = (batch: number, processes: number) =>
    runs.find((r) => r.indexes && r.batch === batch && r.processes === processes);
  const best = (batch: number) =>
    Math.max(...runs.filter((r) => r.indexes && r.batch === batch).map((r) => r.cycles_per_s));
  // Scaling with processes: cycles/s at the most processes over cycles/s with one, per claim mode.
  const scaling = (batch: number) => {
    const most = Math.max(...PROCESSES);
    const one = pick(batch, Math.min(...PROCESSES))?.cycles_per_s ?? Number.NaN;
    return +((pick(batch, most)?.cycles_per_s ?? Number.NaN) / one).toFixed(2);
  };
  const noIndex = runs.filter((r) => !r.indexes).map((r) => r.cycles_per_s);
  console.log(
    JSON.stringify({
      bench: "pg-claims",
      jobs: N,
      batch: BATCH,
      cpus: availableParallelism(),
      load_at_start: startLoad,
      runs,
      best_cycles_per_s_batch_1: best(1),
      best_cycles_per_s_batch: best(BATCH),
      ratio_batch_vs_1: +(best(BATCH) / best(1)).toFixed(2),
      scaling_most_vs_one_process_batch_1: scaling(1),
      scaling_most_vs_one_process_batch: scaling(BATCH),
      ...(noIndex.length ? { index_ratio: +(best(1) / Math.max(...noIndex)).toFixed(2) } : {}),
      baseline_select1_per_s: roundTripsPerS,
      ratio_cycles_batch_vs_select1: +(best(BATCH) / roundTripsPerS).toFixed(3),
      goal: ">= 2000 claims/s",
    }),
  );
} finally {
  server.stop();
}
