// Three processes claiming from one Postgres queue at once (FOR UPDATE SKIP LOCKED), one job per claim or a
// batch per claim: every job is claimed exactly once, each ends done with one attempt, by the process that
// reported claiming it.
import { describe, expect, it } from "bun:test";
import { PgClient } from "../../../src/db/pg";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import { raceClaimers, seedQueued } from "../../fixtures/postgres-claims";

const skip = postgresMissing("the Postgres claim race");
const server = usePostgres(skip);

describe.skipIf(skip)("claiming from Postgres with several processes", () => {
  it.each([
    ["one job per claim (claimNext)", 1],
    ["batches of 4 (claimBatch)", 4],
  ])(
    "claims every job exactly once across three processes, %s",
    async (_, batch) => {
      const url = server().freshDatabase();
      const pg = PgClient.connect(url);
      try {
        const N = 600;
        seedQueued(pg, N, 20);
        const { results } = await raceClaimers(url, 3, batch);
        const all = results.flatMap((r) => r.claimed);
        expect(all.length).toBe(N);
        expect(new Set(all).size).toBe(N);
        expect(pg.all("SELECT status, attempts, count(*) AS n FROM jobs GROUP BY status, attempts")).toEqual([
          { status: "done", attempts: 1, n: N },
        ]);
        // Each job's worker is the process that reported it.
        const byWorker = pg.all<{ worker_id: string; n: number }>(
          "SELECT worker_id, count(*) AS n FROM jobs GROUP BY worker_id ORDER BY worker_id",
        );
        expect(byWorker).toEqual(
          results.map((r) => ({ worker_id: r.workerId, n: r.claimed.length })).filter((r) => r.n > 0),
        );
      } finally {
        pg.close();
      }
    },
    120_000,
  );
});
