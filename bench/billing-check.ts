// Submission overhead of the billing checks (goal < 2 ms per job). The same submissions run through two
// job services in the same process, interleaved round by round so both see the same machine:
//   off — MM_BILLING=off: no tier check, freeBilling (what a self-hosted install does today);
//   on  — MM_BILLING=on: the route's two tier checks (before the upload and after validation: tier row,
//         period and day counts, balance) and the seam inside the job insert (count again, usage row,
//         ledger charge with its cached balance).
// Users are pro with a balance, each submitting 10 masters (the pro daily cap), so the counts read a
// realistic day. Prints per-job medians, the overhead (on − off) and the ratio on/off.
// bun bench/billing-check.ts [users]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Caller, createSqliteAccountStores, createTiers, userOwnerKey } from "../src/accounts";
import { createSqliteLedger, freeBilling } from "../src/billing";
import { loadConfig } from "../src/config";
import { closeDb, openDb, runMigrations } from "../src/db";
import { dataLayout, ensureLayout } from "../src/files";
import { createJobService, type SubmitRequest } from "../src/jobs";
import { silentLogger } from "../src/log";
import { fmt, median } from "./lib";

const USERS = Number(process.argv[2] ?? 200);
const PER_USER = 10;

const callerFor = (userId: number): Caller => ({
  kind: "user",
  userId,
  tier: "pro",
  isAdmin: false,
  via: "session",
  ownerKey: userOwnerKey(userId),
});

function world(mode: "off" | "on") {
  const dir = mkdtempSync(join(tmpdir(), `mm-bench-billing-${mode}-`));
  const layout = dataLayout(dir);
  ensureLayout(layout);
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const config = loadConfig({ MM_DATA_DIR: dir, MM_BILLING: mode, MM_MAX_QUEUED_PER_OWNER: "1000" });
  const tiers = createTiers({
    stores: createSqliteAccountStores(dbh),
    log: silentLogger,
    billing: mode,
    balanceOf: (id) => ledger.balance(id),
  });
  const ledger = createSqliteLedger(dbh, tiers.costOf);
  const billing = mode === "on" ? tiers.seam(ledger) : freeBilling;
  const jobs = createJobService({ dbh, config, log: silentLogger, layout, billing });
  const users: number[] = [];
  for (let i = 0; i < USERS; i++) {
    const row = dbh.sqlite
      .query<{ id: number }, [string]>(
        "INSERT INTO users (telegram_id, tier) VALUES (?1, 'pro') RETURNING id",
      )
      .get(`${mode}${i}`);
    const id = row?.id ?? 0;
    ledger.credit(id, 1000, { note: "bench", actor: "cli" });
    users.push(id);
  }
  const submit = (userId: number, n: number) => {
    const caller = callerFor(userId);
    const req: SubmitRequest = {
      ownerKey: caller.ownerKey,
      userId,
      source: "web",
      kind: "master",
      inputPath: join(layout.uploads, `u${userId}-${n}`),
      inputBytes: 1_000_000,
      originalName: "take.wav",
      settings: { style: "standard", format: "wav24" },
      lang: "en",
    };
    // What the route does: an early check before the upload, the full one after validation.
    tiers.check(caller, { kind: "master" });
    const { priority } = tiers.check(caller, { kind: "master", settings: req.settings, bytes: [1_000_000] });
    jobs.submit({ ...req, priority });
  };
  /** The two route checks alone (no job insert): the part of the overhead outside the transaction. */
  const checksOnly = (userId: number) => {
    const caller = callerFor(userId);
    tiers.check(caller, { kind: "master" });
    tiers.check(caller, { kind: "master", settings: { style: "standard" }, bytes: [1_000_000] });
  };
  return {
    users,
    submit,
    checksOnly,
    charged: () =>
      dbh.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM ledger WHERE reason='charge'").get()
        ?.n ?? 0,
    close() {
      closeDb(dbh);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const off = world("off");
const on = world("on");
const perJob = { off: [] as number[], on: [] as number[] };
// One round = every user submits once; the two modes alternate which goes first.
const checkTimes: number[] = [];
for (let round = 0; round < PER_USER; round++) {
  // Before the last round every user has 9 masters today: time the checks alone there, many times over
  // (the submission's own cost varies more than they take).
  if (round === PER_USER - 1)
    for (let r = 0; r < 20; r++) {
      const t0 = performance.now();
      for (const u of on.users) on.checksOnly(u);
      checkTimes.push((performance.now() - t0) / on.users.length);
    }
  const order = round % 2 ? ([on, off] as const) : ([off, on] as const);
  for (const w of order) {
    const t0 = performance.now();
    for (const u of w.users) w.submit(u, round);
    const ms = (performance.now() - t0) / w.users.length;
    (w === on ? perJob.on : perJob.off).push(ms);
  }
}
if (on.charged() !== USERS * PER_USER)
  throw new Error(`expected ${USERS * PER_USER} charges, got ${on.charged()}`);
if (off.charged() !== 0) throw new Error("billing off charged something");
const mOff = median(perJob.off);
const mOn = median(perJob.on);
console.log(
  `billing-check: ${USERS * PER_USER} submissions per mode (${USERS} pro users × ${PER_USER}); ` +
    `per job off ${fmt(mOff, 3)} ms, on ${fmt(mOn, 3)} ms; overhead ${fmt(mOn - mOff, 3)} ms ` +
    `(goal < 2 ms); ratio on/off ${fmt(mOn / mOff, 2)}; the two route checks alone ${fmt(median(checkTimes), 4)} ms`,
);
off.close();
on.close();
