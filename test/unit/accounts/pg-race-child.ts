// A second node for pg-races.test.ts: connects to the database in argv[2] and runs one accounts call
// (argv[3], its JSON arguments in argv[4]) through the real stores, printing the outcome as JSON, then
// leaves the file argv[5] to say it ended.

import { writeFileSync } from "node:fs";
import { createAccounts, createPgAccountStores } from "../../../src/accounts";
import { PgClient } from "../../../src/db";
import { silentLogger } from "../../../src/log";

const [url = "", op = "", json = "{}", doneFile = ""] = process.argv.slice(2);
const a = JSON.parse(json) as { userId: number; max?: number; keyHash?: string; ref?: string };
const pg = PgClient.connect(url);
const stores = createPgAccountStores(pg);
const acc = createAccounts({
  stores,
  log: silentLogger,
  jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
});
try {
  const out =
    op === "insertKey"
      ? (stores.apiKeys.insertCapped(
          {
            userId: a.userId,
            keyHash: a.keyHash ?? "",
            prefix: "mm_x",
            name: "child",
            createdAt: Date.now(),
          },
          a.max ?? 1,
        ) ?? null)
      : acc.extendTier(a.userId, "pro", 30, a.ref ?? "");
  console.log(JSON.stringify({ ok: out }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err) }));
} finally {
  pg.close();
  // The parent polls for this file while its event loop is blocked in a transaction.
  if (doneFile) writeFileSync(doneFile, "done");
}
