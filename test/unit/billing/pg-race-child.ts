// Another node for pg-races.test.ts: connects to the database in argv[2], leaves argv[5] + ".ready", waits
// until the file argv[5] exists (so every node starts at once), runs one billing call (argv[3], JSON arguments in argv[4]) through
// the real Postgres stores, prints the outcome as JSON, then leaves argv[5] + ".done" to say it ended.

import { existsSync, writeFileSync } from "node:fs";
import { createLedger, createPgBillingStores, createSettlement } from "../../../src/billing";
import { PgClient } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { silentLogger } from "../../../src/log";

const [url = "", op = "", json = "{}", goFile = ""] = process.argv.slice(2);
const a = JSON.parse(json) as {
  userId?: number;
  refs?: string[];
  deltas?: number[];
  jobs?: string[];
  paymentId?: string;
  refundId?: string;
  value?: string;
  from?: number;
  to?: number;
  ref?: string;
};
const pg = PgClient.connect(url);
const stores = createPgBillingStores(pg);
const ledger = createLedger({ store: stores.ledger, costOf: () => 1 });
const job = (publicId: string) => ({
  publicId,
  ownerKey: `user:${a.userId}`,
  userId: a.userId ?? null,
  kind: "master" as const,
});

function run(): unknown {
  if (op === "post") {
    // Each ref once per node; the node reports how many of its posts wrote a row.
    let written = 0;
    (a.refs ?? []).forEach((ref, i) => {
      const delta = a.deltas?.[i] ?? 1;
      if (ledger.post({ userId: a.userId ?? 0, delta, reason: "payment", ref, actor: "race" })) written++;
    });
    return written;
  }
  if (op === "charge") {
    let charged = 0;
    let refused = 0;
    for (const id of a.jobs ?? []) {
      try {
        charged += ledger.reserve(job(id));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== "insufficient_tokens") throw err;
        refused++;
      }
    }
    return { charged, refused };
  }
  if (op === "refund")
    return createSettlement({ orders: stores.orders, ledger, log: silentLogger, now: Date.now }).applyRefund({
      id: a.refundId ?? "",
      payment_id: a.paymentId ?? "",
      status: "succeeded",
      amount: { value: a.value ?? "0", currency: "RUB" },
    });
  if (op === "move")
    return ledger.moveAll(a.from ?? 0, a.to ?? 0, { reason: "link", ref: a.ref ?? "", actor: "race" });
  throw new Error(`unknown op ${op}`);
}

try {
  if (goFile) writeFileSync(`${goFile}.ready`, "ready");
  const deadline = Date.now() + 60_000;
  while (goFile && !existsSync(goFile) && Date.now() < deadline) Bun.sleepSync(5);
  console.log(JSON.stringify({ ok: run() }));
} catch (err) {
  console.log(JSON.stringify({ error: err instanceof AppError ? err.code : String(err) }));
} finally {
  pg.close();
  // The parent polls for this file while its event loop may be blocked in a transaction.
  if (goFile) writeFileSync(`${goFile}.done`, "done");
}
