// Platega on the compiled binary: kill -9 between "the API says CONFIRMED" and the ledger row, while
// Platega's few callback retries (3) all land on a dead service — after the restart the reconcile task
// (`magic-master cron run reconcile`) credits the order exactly once, and late callbacks change nothing.
//
// The kill lands in that window by construction (kill-window.ts): the test holds SQLite's write lock while
// the callback arrives, so the service logs payment_verified and then blocks on the lock; it is killed
// there. The fake's callback retries then find no listener.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { FakePlatega } from "../fakes/platega";
import { account } from "../integration/api/signed-in";
import { killInsideWriteLock, orderStatus } from "./kill-window";
import { ensureBinary, runBinary, type Served, serveBinary, tempDir } from "./lib";

let pg: FakePlatega;
let dataDir: string;
let served: Served | undefined;
let env: Record<string, string>;

async function serve(): Promise<Served> {
  served = await serveBinary(env);
  pg.callbackUrl = `${served.url}/api/payments/platega/callback`;
  return served;
}
const ledgerRows = (db: Database, id: string) =>
  db
    .query<{ reason: string; delta: number }, [string]>("SELECT reason, delta FROM ledger WHERE ref = ?1")
    .all(`platega:${id}`);

beforeAll(async () => {
  await ensureBinary();
  dataDir = tempDir("mm-e2e-platega-");
  pg = new FakePlatega({ retryMs: [50, 100, 200] });
  env = {
    MM_DATA_DIR: dataDir,
    MM_PUBLIC_URL: "https://master.example.test",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_PLATEGA_MERCHANT_ID: pg.merchantId,
    MM_PLATEGA_SECRET: pg.secret,
    MM_PLATEGA_API_ROOT: pg.url,
    MM_CRON_RECONCILE: "off",
  };
});
afterAll(async () => {
  if (served && served.proc.exitCode === null) await served.stop();
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Platega on the binary", () => {
  it("kill -9 after the API said CONFIRMED, every callback retry lost: reconcile credits exactly once", async () => {
    const first = await serve();
    const { headers } = await account(first.url, "pg-crash-buyer@example.com");
    const auth = { ...headers, "content-type": "application/json" };
    const made = await fetch(`${first.url}/api/payments/create`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ plan: "tokens_10", provider: "platega" }),
    });
    expect(made.status).toBe(200);
    const c = (await made.json()) as { order_id: string; payment_id: string };

    await killInsideWriteLock(first, dataDir, {
      start: () => pg.confirm(c.payment_id),
      reached: (l) => l.event === "payment_verified" && l.payment_id === c.payment_id,
      what: "the service to confirm the transaction with the API",
      async check(db) {
        // Platega's 3 retries find nobody listening.
        await pg.settled(60_000);
        expect(pg.deliveries.at(-1)?.attempts.slice(1)).toEqual([0, 0, 0]);
        expect(ledgerRows(db, c.payment_id)).toEqual([]);
        expect(orderStatus(db, c.order_id)).toBe("pending");
      },
    });

    const second = await serve();
    const rec = await runBinary(["cron", "run", "reconcile", "--json"], {
      ...env,
      MM_LOG_LEVEL: "warn",
      MM_PAYMENT_RECONCILE_MIN: "0",
    });
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.stdout)).toMatchObject({ task: "reconcile", checked: 1, settled: 1, errors: 0 });
    // A late callback (and a second reconcile) change nothing.
    const t = pg.transactions.get(c.payment_id);
    if (!t) throw new Error("no transaction");
    for (let i = 0; i < 3; i++) pg.deliver(pg.callbackOf(t));
    await pg.settled(60_000);
    expect(pg.deliveries.slice(-3).map((d) => d.attempts)).toEqual([[200], [200], [200]]);
    const again = await runBinary(["cron", "run", "reconcile", "--json"], {
      ...env,
      MM_LOG_LEVEL: "warn",
      MM_PAYMENT_RECONCILE_MIN: "0",
    });
    expect(JSON.parse(again.stdout)).toMatchObject({ checked: 0, settled: 0 });

    const db = new Database(join(dataDir, "magic-master.db"), { readonly: true });
    try {
      expect(ledgerRows(db, c.payment_id)).toEqual([{ reason: "payment", delta: 10 }]);
    } finally {
      db.close();
    }
    const me = (await (await fetch(`${second.url}/api/auth/me`, { headers: auth })).json()) as {
      balance: number;
    };
    expect(me.balance).toBe(10);
  });
});
