// Money on several nodes at once, each a real process on its own Postgres connection (pg-race-child.ts):
// what SQLite's one writer gives for free, Postgres must get from the unique (reason, ref) index and from
// row locks. Many nodes posting the same credits write each once and the sums stay exact; many nodes
// charging one balance charge exactly what it holds; and at the exact point of a race (the first node's
// transaction held open after its read) the second node waits on a lock, seen in pg_stat_activity, and
// then answers from the first's committed state — each of those fails with its lock removed.

import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAccountStores } from "../../../src/accounts";
import {
  createLedger,
  createPgBillingStores,
  createSettlement,
  type LedgerStore,
  type OrderRow,
} from "../../../src/billing";
import { PgClient } from "../../../src/db";
import { silentLogger } from "../../../src/log";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

const noPg = postgresMissing("the Postgres race tests of the billing stores");
const server = usePostgres(noPg);
const CHILD = join(import.meta.dir, "pg-race-child.ts");
const tmp = mkdtempSync(join(tmpdir(), "mm-bill-race-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Child = { proc: Bun.Subprocess<"ignore", "pipe", "inherit">; go: string };
let seq = 0;
const child = (url: string, op: string, args: object): Child => {
  const go = join(tmp, `go-${++seq}`);
  const proc = Bun.spawn(["bun", CHILD, url, op, JSON.stringify(args), go], {
    stdout: "pipe",
    stderr: "inherit",
  });
  return { proc, go };
};
const outcome = async (p: Child) => {
  await p.proc.exited;
  return JSON.parse(await new Response(p.proc.stdout).text()) as { ok?: unknown; error?: string };
};
/** Blocks until every child has connected (its ready file), then lets them all go at once. */
function startTogether(children: Child[]): void {
  const deadline = performance.now() + 90_000;
  while (!children.every((c) => existsSync(`${c.go}.ready`))) {
    if (performance.now() > deadline) throw new Error("the child nodes did not connect");
    Bun.sleepSync(10);
  }
  for (const c of children) writeFileSync(c.go, "go");
}
/** Blocks until another backend waits on a lock (the child reached the race), or the child ended. */
function waitForLockWaiter(watch: PgClient, c: Child, what: string): void {
  startTogether([c]);
  const deadline = performance.now() + 90_000;
  while (performance.now() < deadline && !existsSync(`${c.go}.done`)) {
    const w = watch.get<{ n: number }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if ((w?.n ?? 0) > 0) return;
    Bun.sleepSync(20);
  }
  if (!existsSync(`${c.go}.done`))
    throw new Error(`the second node neither waited on a lock nor ended: ${what}`);
}

function setUp() {
  const url = server().freshDatabase();
  const pg = PgClient.connect(url);
  const watch = PgClient.connect(url);
  const stores = createPgBillingStores(pg);
  const ledger = createLedger({ store: stores.ledger, costOf: () => 1 });
  const accounts = createAccountStores({ kind: "postgres", pg });
  let tg = 100;
  const user = () =>
    accounts.users.upsertTelegram({ telegramId: String(++tg), username: null, lang: "en" }, Date.now()).id;
  /** The user's rows summed, the cached sum, and both row counts. */
  const sums = (u: number) =>
    pg.get<{ sum: number; n: number; cached: number; cached_rows: number }>(
      `SELECT (SELECT coalesce(sum(delta), 0) FROM ledger WHERE user_id = $1) AS sum,
         (SELECT count(*) FROM ledger WHERE user_id = $1) AS n,
         (SELECT balance FROM ledger_balances WHERE user_id = $1) AS cached,
         (SELECT rows FROM ledger_balances WHERE user_id = $1) AS cached_rows`,
      [u],
    );
  const close = () => {
    pg.close();
    watch.close();
  };
  return { url, pg, watch, stores, ledger, user, sums, close };
}

const NODES = 6;

describe.skipIf(noPg)("billing stores racing on Postgres", () => {
  it(`${NODES} nodes posting the same 40 credits write each once; sums and the cached sum are exact`, async () => {
    const t = setUp();
    try {
      const u = t.user();
      const refs = Array.from({ length: 40 }, (_, i) => `shared-${i}`);
      const deltas = refs.map((_, i) => i + 1);
      const nodes = Array.from({ length: NODES }, (_, n) => {
        // Each node walks the shared refs from its own starting point and adds 20 refs of its own.
        const order = refs.map((_, i) => (i + n * 7) % refs.length);
        return child(t.url, "post", {
          userId: u,
          refs: [...order.map((i) => refs[i]), ...Array.from({ length: 20 }, (_, i) => `own-${n}-${i}`)],
          deltas: [...order.map((i) => deltas[i]), ...Array.from({ length: 20 }, () => 1)],
        });
      });
      startTogether(nodes);
      const out = await Promise.all(nodes.map(outcome));
      expect(out.map((o) => o.error)).toEqual(Array(NODES).fill(undefined));
      const written = out.reduce((a, o) => a + Number(o.ok), 0);
      expect(written).toBe(40 + NODES * 20);
      const expected = (40 * 41) / 2 + NODES * 20;
      expect(t.sums(u)).toEqual({
        sum: expected,
        n: 40 + NODES * 20,
        cached: expected,
        cached_rows: 40 + NODES * 20,
      });
      expect(t.pg.get<{ n: number }>("SELECT count(*) AS n FROM ledger WHERE ref LIKE 'shared-%'")?.n).toBe(
        40,
      );
    } finally {
      t.close();
    }
  }, 180_000);

  it(`${NODES} nodes charging one balance of 25 charge exactly 25 jobs; it never goes below zero`, async () => {
    const t = setUp();
    try {
      const u = t.user();
      t.ledger.credit(u, 25, { note: "top-up", actor: "test" });
      const nodes = Array.from({ length: NODES }, (_, n) =>
        child(t.url, "charge", { userId: u, jobs: Array.from({ length: 10 }, (_, i) => `J${n}-${i}`) }),
      );
      startTogether(nodes);
      const out = await Promise.all(nodes.map(outcome));
      const ok = out.map((o) => o.ok as { charged: number; refused: number });
      expect(ok.reduce((a, o) => a + o.charged, 0)).toBe(25);
      expect(ok.reduce((a, o) => a + o.refused, 0)).toBe(NODES * 10 - 25);
      expect(t.sums(u)).toEqual({ sum: 0, n: 26, cached: 0, cached_rows: 26 });
    } finally {
      t.close();
    }
  }, 180_000);

  it("a charge on a second node waits for the first's open charge of the last token, then is refused", async () => {
    const t = setUp();
    try {
      const u = t.user();
      t.ledger.credit(u, 1, { note: "top-up", actor: "test" });
      let second: Child | undefined;
      t.pg.tx(() => {
        expect(
          t.ledger.reserve({ publicId: "FIRST", ownerKey: `user:${u}`, userId: u, kind: "master" }),
        ).toBe(1);
        second = child(t.url, "charge", { userId: u, jobs: ["SECOND"] });
        waitForLockWaiter(t.watch, second, "the child's charge");
      });
      if (!second) throw new Error("test: child");
      expect(await outcome(second)).toEqual({ ok: { charged: 0, refused: 1 } });
      expect(t.sums(u)).toEqual({ sum: 0, n: 2, cached: 0, cached_rows: 2 });
    } finally {
      t.close();
    }
  }, 120_000);

  it("a refund on a second node waits for the first's open refund of the same order, then cannot exceed it", async () => {
    const t = setUp();
    try {
      const u = t.user();
      const now = Date.now();
      const order: OrderRow = t.stores.orders.insert({
        id: "order-race",
        userId: u,
        planKey: "tokens_10",
        kind: "tokens",
        tier: null,
        periodDays: 0,
        tokens: 10,
        amountMinor: 1000_00,
        currency: "RUB",
        provider: "yookassa",
        createdAt: now,
        updatedAt: now,
      });
      const settle = createSettlement({
        orders: t.stores.orders,
        ledger: t.ledger,
        log: silentLogger,
        now: Date.now,
      });
      expect(settle.credit(order, "pay-1")).toBe("credited");
      const refund = {
        payment_id: "pay-1",
        status: "succeeded" as const,
        amount: { value: "600.00", currency: "RUB" },
      };
      let second: Child | undefined;
      t.pg.tx(() => {
        expect(settle.applyRefund({ ...refund, id: "rf-1" })).toBe("partial_refund");
        second = child(t.url, "refund", { paymentId: "pay-1", refundId: "rf-2", value: "600.00" });
        waitForLockWaiter(t.watch, second, "the child's refund");
      });
      if (!second) throw new Error("test: child");
      expect(await outcome(second)).toEqual({ ok: "mismatch" });
      expect(t.stores.orders.refundTotals(order.id)).toEqual({
        amountMinor: 600_00,
        tokensDue: 6,
        daysDue: 0,
        count: 1,
      });
      expect(t.sums(u)).toEqual({ sum: 4, n: 2, cached: 4, cached_rows: 2 });
    } finally {
      t.close();
    }
  }, 120_000);

  // The Telegram link moves a whole balance (moveAll: a row out on one user, a row in on the other, both
  // balances locked). Two opposite moves at once each locked its `from` row first and then waited for the
  // other's: Postgres found the cycle and aborted one (40P01, not retried). Both lock the lower user id
  // first, so the second waits for the first to finish and then moves what it finds.
  for (const dir of ["lower → higher", "higher → lower"] as const)
    it(`opposite whole-balance moves on two nodes (${dir}) both finish, none aborted by a deadlock`, async () => {
      const t = setUp();
      try {
        const [lo, hi] = [t.user(), t.user()];
        const [a, b] = dir === "lower → higher" ? [lo, hi] : [hi, lo];
        t.ledger.credit(a, 3, { note: "top-up", actor: "test" });
        t.ledger.credit(b, 5, { note: "top-up", actor: "test" });
        let second: Child | undefined;
        // This node's move a → b stops before its row on b (its `from` row is locked and debited by then)
        // while the other node moves b → a; then it goes on.
        const paused: LedgerStore = {
          ...t.stores.ledger,
          append(e) {
            if (e.reason === "link_in" && !second) {
              second = child(t.url, "move", { from: b, to: a, ref: `user:${b}` });
              waitForLockWaiter(t.watch, second, "the other node's move");
            }
            return t.stores.ledger.append(e);
          },
        };
        const ledger = createLedger({ store: paused, costOf: () => 1 });
        expect(ledger.moveAll(a, b, { reason: "link", ref: `user:${a}`, actor: "test" })).toBe(3);
        if (!second) throw new Error("test: the second move never started");
        // It ran after this one: b held 5 + 3 and all of it went back to a.
        expect(await outcome(second)).toEqual({ ok: 8 });
        expect([t.ledger.balance(a), t.ledger.balance(b)]).toEqual([8, 0]);
        for (const u of [a, b])
          expect(t.sums(u)).toMatchObject({ sum: u === a ? 8 : 0, n: 3, cached_rows: 3 });
      } finally {
        t.close();
      }
    }, 120_000);
});
