// The SQLite claim's query plan: it walks an index in order. The fair queue's behaviour (owners take turns,
// priority a bounded boost, caps, positions) is in the store suite run on every backend (store-suite.ts).
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { CLAIM_SQL } from "../../../src/jobs/sqlite";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir: string;
let h: DbHandle;
beforeEach(async () => {
  dir = await tempDir("mm-claim-");
  h = openDb(join(dir, "q.db"));
  runMigrations(h);
});
afterEach(async () => {
  h.sqlite.close();
  await cleanup(dir);
});

describe("SQLite claim plan", () => {
  it("walks jobs_fair_idx in order (no sort, no owner index, no scan)", () => {
    const plan = h.sqlite
      .prepare<{ detail: string }, [string, number, number]>(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`)
      .all("w", 1, 1)
      .map((r) => r.detail)
      .join("\n");
    expect(plan).not.toContain("TEMP B-TREE");
    expect(plan).toContain("SEARCH q USING INDEX jobs_fair_idx (status=?)");
    expect(plan).toContain("SEARCH r USING INDEX jobs_fair_idx (status=?)");
    expect(plan).not.toContain("jobs_owner_idx");
    expect(plan).not.toContain("SCAN");
  });
});
