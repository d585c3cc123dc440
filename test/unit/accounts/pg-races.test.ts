// What SQLite's one writer gives for free, Postgres must get from locks: two nodes racing the same user.
// The first node holds its transaction open at the exact point of the race; a second process (a real
// second connection, pg-race-child.ts) makes the competing call and must wait on a lock (seen in
// pg_stat_activity) — without the lock it would read the uncommitted-away state and write a second row.
// Then the first commits and the second's answer is checked.

import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccounts, createPgAccountStores } from "../../../src/accounts";
import { PgClient } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

const noPg = postgresMissing("the Postgres race tests of the accounts stores");
const server = usePostgres(noPg);
const CHILD = join(import.meta.dir, "pg-race-child.ts");

/**
 * Blocks until another backend of this database waits on a lock (the child reached the race), or the
 * child ended without waiting (no lock: its answer then shows the double write).
 */
function waitForLockWaiter(watch: PgClient, p: Child, what: string): void {
  const deadline = performance.now() + 90_000;
  // exitCode would only move on the event loop this loop blocks: the child leaves a file when it ends.
  while (performance.now() < deadline && !existsSync(p.doneFile)) {
    const w = watch.get<{ n: number }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if ((w?.n ?? 0) > 0) return;
    Bun.sleepSync(25);
  }
  if (!existsSync(p.doneFile)) throw new Error(`the second node neither waited on a lock nor ended: ${what}`);
}

function setUp() {
  const url = server().freshDatabase();
  const pg = PgClient.connect(url);
  const watch = PgClient.connect(url);
  const stores = createPgAccountStores(pg);
  const close = () => {
    pg.close();
    watch.close();
  };
  return { url, pg, watch, stores, close };
}

type Child = { proc: Bun.Subprocess<"ignore", "pipe", "inherit">; doneFile: string };
const tmp = mkdtempSync(join(tmpdir(), "mm-pg-race-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let seq = 0;
const child = (url: string, op: string, args: object): Child => {
  const doneFile = join(tmp, `done-${++seq}`);
  const proc = Bun.spawn(["bun", CHILD, url, op, JSON.stringify(args), doneFile], {
    stdout: "pipe",
    stderr: "inherit",
  });
  return { proc, doneFile };
};
const outcome = async (p: Child) => {
  await p.proc.exited;
  return JSON.parse(await new Response(p.proc.stdout).text()) as { ok?: unknown; error?: string };
};

describe.skipIf(noPg)("accounts stores racing on Postgres", () => {
  it("the active-key cap holds across nodes: the second insert waits for the first and is refused", async () => {
    const t = setUp();
    try {
      const u = t.stores.auth.createUser("race@example.org", "h", Date.now());
      if (!u) throw new Error("test: user");
      const base = { userId: u.id, prefix: "mm_a", name: "a", createdAt: Date.now() };
      t.stores.apiKeys.insertCapped({ ...base, keyHash: "k1" }, 2);
      let second: Child | undefined;
      t.pg.tx(() => {
        expect(t.stores.apiKeys.insertCapped({ ...base, keyHash: "k2" }, 2)).toBeDefined(); // the last slot
        second = child(t.url, "insertKey", { userId: u.id, max: 2, keyHash: "k3" });
        waitForLockWaiter(t.watch, second, "the child's insertCapped");
      });
      if (!second) throw new Error("test: child");
      expect(await outcome(second)).toEqual({ ok: null });
      expect(t.stores.apiKeys.listActive(u.id).map((k) => k.id)).toHaveLength(2);
    } finally {
      t.close();
    }
  }, 120_000);

  it("a grant's ref replayed by another node while the first is committing answers the first grant", async () => {
    const t = setUp();
    try {
      const acc = createAccounts({
        stores: t.stores,
        log: silentLogger,
        jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
      });
      const id = t.stores.users.upsertTelegram(
        { telegramId: "4242", username: null, lang: "en" },
        Date.now(),
      ).id;
      let second: Child | undefined;
      const first = t.pg.tx(() => {
        const g = acc.extendTier(id, "pro", 30, "pay-race");
        second = child(t.url, "extendTier", { userId: id, ref: "pay-race" });
        waitForLockWaiter(t.watch, second, "the child's extendTier");
        return g;
      });
      if (!second) throw new Error("test: child");
      const got = await outcome(second);
      expect(got.error).toBeUndefined();
      expect(got.ok).toEqual({ ...first, applied: false });
      expect(t.stores.users.byId(id)?.tierExpiresAt).toBe(first.expiresAt);
    } finally {
      t.close();
    }
  }, 120_000);
});
