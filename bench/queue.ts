// Queue claims per second on a real SQLite file: N queued rows, claimed one BEGIN IMMEDIATE at a time.
// Goal ≥ 5 000/s. Baseline in the same run: plain single-row UPDATEs by primary key (no transaction).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, runMigrations, schema } from "../src/db";
import { createSqliteJobStore } from "../src/jobs";
import { PRIORITY_SLOT } from "../src/jobs/sqlite";

const N = 20_000;
const dir = mkdtempSync(join(tmpdir(), "mm-bench-queue-"));
const h = openDb(join(dir, "q.db"));
runMigrations(h);
const store = createSqliteJobStore(h);
const rows = Array.from({ length: N }, (_, i) => ({
  publicId: `B${i.toString(36).padStart(6, "0")}`,
  accessToken: "t",
  ownerKey: `o${i % 50}`,
  source: "api" as const,
  priority: i % 3,
  // Turns as enqueue gives them: 50 owners interleaved, each owner's jobs one turn apart, priority boost.
  fairKey: Math.floor(i / 50) - (i % 3) * PRIORITY_SLOT,
  createdAt: i,
}));
h.sqlite.transaction(() => {
  for (let i = 0; i < rows.length; i += 500)
    h.db
      .insert(schema.jobs)
      .values(rows.slice(i, i + 500))
      .run();
})();
// Finished rows make each claim skip running owners, as in production.
// Each claimed row is finished (outside the timed claim) so "running" stays as small as in production.
let claimS = 0;
let claimed = 0;
const finish = h.sqlite.query("UPDATE jobs SET status='done' WHERE id=?");
for (;;) {
  const c0 = performance.now();
  const r = store.claimNext("bench", 2, Date.now());
  claimS += (performance.now() - c0) / 1000;
  if (!r) break;
  claimed++;
  finish.run(r.id);
}
const t0 = performance.now();
const upd = h.sqlite.query("UPDATE jobs SET progress=? WHERE id=?");
for (let i = 1; i <= N; i++) upd.run(0.5, i);
const baseS = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    bench: "queue",
    claimed,
    claims_per_s: Math.round(claimed / claimS),
    baseline_updates_per_s: Math.round(N / baseS),
    ratio_claim_vs_update: +(baseS / claimS).toFixed(3),
    goal: ">= 5000 claims/s",
  }),
);
h.sqlite.close();
rmSync(dir, { recursive: true, force: true });
