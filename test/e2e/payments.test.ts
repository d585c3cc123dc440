// Payments on the compiled binary against the fake YooKassa: kill -9 between "the provider says
// succeeded" and the ledger row → credited exactly once after the restart; plans edited by the operator's
// CLI while the service runs never alter an order that exists; admin stats shows the orders.
//
// How the kill lands in that window without timing luck (kill-window.ts): the test holds SQLite's write
// lock while the notification arrives. The service re-fetches the payment, logs payment_verified, then
// blocks on the lock (busy_timeout) — it cannot write the credit while the test holds it. The test kills
// it there, checks nothing was written, releases the lock and restarts the binary; YooKassa's retry
// delivers again.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { FakeYooKassa } from "../fakes/yookassa";
import { waitFor } from "../fixtures/wait";
import { killInsideWriteLock, orderStatus } from "./kill-window";
import { ensureBinary, runBinary, type Served, serveBinary, tempDir } from "./lib";

let yk: FakeYooKassa;
let dataDir: string;
let served: Served | undefined;
let env: Record<string, string>;

const ACCOUNT = { email: "crash-buyer@example.com", password: "crash-buyer-password" };

async function serve(): Promise<Served> {
  served = await serveBinary(env);
  yk.webhookUrl = `${served.url}/api/payments/webhook`;
  return served;
}
async function session(url: string): Promise<Record<string, string>> {
  const post = (path: string) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ACCOUNT),
    });
  await post("/api/auth/register");
  const b = (await (await post("/api/auth/login")).json()) as { token: string };
  return { authorization: `Bearer ${b.token}`, "content-type": "application/json" };
}
const create = async (url: string, auth: Record<string, string>, plan: string) =>
  (await (
    await fetch(`${url}/api/payments/create`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ plan }),
    })
  ).json()) as { order_id: string; payment_id: string };
const orderOf = async (url: string, auth: Record<string, string>, id: string) =>
  (await (await fetch(`${url}/api/payments/orders/${id}`, { headers: auth })).json()) as {
    status: string;
    amount: string;
  };
const ledgerRows = (db: Database, paymentId: string) =>
  db
    .query<{ reason: string; delta: number }, [string]>("SELECT reason, delta FROM ledger WHERE ref = ?1")
    .all(`yookassa:${paymentId}`);

beforeAll(async () => {
  await ensureBinary();
  dataDir = tempDir("mm-e2e-pay-");
  yk = new FakeYooKassa({ retryMs: [100, 200, 300, 500], maxAttempts: 2000 });
  env = {
    MM_DATA_DIR: dataDir,
    MM_PUBLIC_URL: "https://master.example.test",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    MM_CRON_RECONCILE: "off",
  };
});
afterAll(async () => {
  if (served && served.proc.exitCode === null) await served.stop();
  await yk.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("payments on the binary", () => {
  it("kill -9 between the provider's 'succeeded' and the ledger row: credited exactly once after restart", async () => {
    const first = await serve();
    const auth = await session(first.url);
    const c = await create(first.url, auth, "tokens_10");
    expect(c.payment_id).toBeTruthy();

    await killInsideWriteLock(first, dataDir, {
      start: () => yk.pay(c.payment_id),
      reached: (l) => l.event === "payment_verified" && l.payment_id === c.payment_id,
      what: "the service to confirm the payment with the API",
      check(db) {
        expect(ledgerRows(db, c.payment_id)).toEqual([]);
        expect(orderStatus(db, c.order_id)).toBe("pending");
      },
    });

    const second = await serve(); // the fake keeps retrying the notification; now it reaches a live service
    await waitFor(async () => (await orderOf(second.url, auth, c.order_id)).status === "succeeded", {
      what: "the retried notification to credit the order after the restart",
      timeoutMs: 90_000,
    });
    // More duplicates after the fact change nothing.
    for (let i = 0; i < 5; i++) yk.deliver("payment.succeeded", { id: c.payment_id }, false);
    await yk.settled(60_000);
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

  it("admin plans: a price edit (audited) never alters an existing order; new orders take the new price", async () => {
    const url = (served as Served).url;
    const auth = await session(url);
    const old = await create(url, auth, "tokens_5");
    const cli = (...args: string[]) => runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });

    const list = await cli("admin", "plans", "--json");
    expect(list.code).toBe(0);
    const plans = JSON.parse(list.stdout) as { key: string; amountMinor: number }[];
    expect(plans.map((p) => p.key)).toEqual([
      "tokens_1",
      "tokens_5",
      "tokens_10",
      "pro_month",
      "pro_year",
      "studio_month",
      "studio_year",
    ]);
    expect((await cli("admin", "plans", "set", "tokens_5", "price=abc")).code).toBe(1);
    const set = await cli("admin", "plans", "set", "tokens_5", "price=550");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("550.00 RUB");

    expect((await orderOf(url, auth, old.order_id)).amount).toBe("500.00");
    const fresh = await create(url, auth, "tokens_5");
    expect(fresh.order_id).not.toBe(old.order_id);
    expect((await orderOf(url, auth, fresh.order_id)).amount).toBe("550.00");
    expect(yk.payments.get(fresh.payment_id)?.amount.value).toBe("550.00");
    expect(yk.payments.get(old.payment_id)?.amount.value).toBe("500.00");

    const db = new Database(join(dataDir, "magic-master.db"), { readonly: true });
    try {
      const audit = db
        .query<{ actor: string; details: string }, []>(
          "SELECT actor, details FROM audit_log WHERE action = 'plan_set'",
        )
        .all();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor).toBe("cli");
      expect(JSON.parse(audit[0]?.details ?? "{}")).toMatchObject({ field: "price", from: 50000, to: 55000 });
    } finally {
      db.close();
    }

    // The operator's "I paid but got nothing" move: every pending order re-fetched now (still pending here).
    const rec = await runBinary(["cron", "run", "reconcile", "--json"], {
      MM_DATA_DIR: dataDir,
      MM_LOG_LEVEL: "warn",
      ...env,
      MM_PAYMENT_RECONCILE_MIN: "0",
    });
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.stdout)).toMatchObject({ task: "reconcile", checked: 2, settled: 0, errors: 0 });

    const stats = await cli("admin", "stats", "--json");
    expect(stats.code).toBe(0);
    const pay = (JSON.parse(stats.stdout) as { payments: { orders_by_status: Record<string, number> } })
      .payments;
    expect(pay.orders_by_status).toMatchObject({ succeeded: 1, pending: 2 });
  });
});
