// Tiers as data on a real SQLite file: seeded defaults, audited edits, the limits view, every refusal at
// its boundary, and the in-transaction count (the seam) through the real job service and ledger.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import {
  type Caller,
  createSqliteAccountStores,
  createTiers,
  guestCaller,
  type Tiers,
  userOwnerKey,
} from "../../../src/accounts";
import { createSqliteLedger } from "../../../src/billing";
import { recentAudit } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { createJobService, type JobService } from "../../../src/jobs";
import { createSqliteJobStore } from "../../../src/jobs/sqlite";
import { silentLogger } from "../../../src/log";
import { type LedgerWorld, ledgerRows, ledgerWorld, masterRequest } from "../billing/fixture";

// Wednesday 2026-12-02 10:00 UTC: the week started Monday 2026-11-30, the day resets at midnight.
const WED = Date.UTC(2026, 11, 2, 10);
const NEXT_MONDAY = Date.UTC(2026, 11, 7);
const TOMORROW = Date.UTC(2026, 11, 3);

let w: LedgerWorld;
let clock: number;
let tiers: Tiers;
let jobs: JobService;

const code = (fn: () => unknown): { code: string; status: number; params: Record<string, unknown> } => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, status: err.status, params: err.params };
    throw err;
  }
  throw new Error("expected a refusal");
};

const userCaller = (userId: number, tier = "free"): Caller => ({
  kind: "user",
  userId,
  tier,
  isAdmin: false,
  via: "session",
  ownerKey: userOwnerKey(userId),
});

function world(billing: "on" | "off" = "on") {
  w = ledgerWorld();
  clock = WED;
  tiers = createTiers({
    stores: createSqliteAccountStores(w.dbh),
    log: silentLogger,
    billing,
    balanceOf: (id) => ledger.balance(id),
    now: () => clock,
  });
  const ledger = createSqliteLedger(w.dbh, tiers.costOf);
  w.ledger = ledger;
  jobs = createJobService({
    dbh: w.dbh,
    config: w.config(),
    log: silentLogger,
    layout: w.layout,
    billing: tiers.seam(ledger),
    now: () => clock,
  });
}

describe("tiers", () => {
  beforeEach(() => world());
  afterEach(() => w.close());

  it("seeds the original's defaults and keeps an edit across a second seeding", () => {
    const byName = Object.fromEntries(tiers.list().map((t) => [t.name, t]));
    expect(byName.guest?.masters_per_period).toBe(1);
    expect(byName.free?.masters_per_period).toBe(1);
    expect(byName.pro?.daily_cap).toBe(10);
    expect(byName.studio?.daily_cap).toBe(30);
    expect([byName.guest, byName.free, byName.pro, byName.studio].map((t) => t?.upload_max_mb)).toEqual([
      100, 100, 300, 800,
    ]);
    expect(byName.pro?.tokens.master).toBe(1);
    expect(byName.free?.batch_max).toBe(0);
    expect(byName.studio?.api_keys).toBe(true);
    expect(byName.free?.api_keys).toBe(false);
    tiers.set("free", ["masters_per_period=3"], "cli");
    const again = createTiers({ stores: createSqliteAccountStores(w.dbh), log: silentLogger, billing: "on" });
    expect(again.get("free").masters_per_period).toBe(3);
    expect(again.get("no-such-tier").name).toBe("free");
  });

  it("set validates, applies several fields at once and writes one audit row with before/after", () => {
    const t = tiers.set("pro", ["daily_cap=12", "styles=standard,edm", "api_keys=no"], "cli");
    expect(t.daily_cap).toBe(12);
    expect(t.styles).toEqual(["standard", "edm"]);
    expect(t.api_keys).toBe(false);
    expect(tiers.set("pro", ["styles=standard,auto"], "cli").styles).toEqual(["standard", "auto"]);
    expect(tiers.set("pro", ["daily_cap=unlimited", "styles=all"], "cli").daily_cap).toBeNull();
    const rows = recentAudit(w.dbh.db, 10).filter((r) => r.action === "tier_set");
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.actor === "cli" && r.target === "tier:pro")).toBe(true);
    expect(code(() => tiers.set("gold", ["daily_cap=1"], "cli")).code).toBe("tier_not_found");
    expect(code(() => tiers.set("pro", ["colour=red"], "cli")).code).toBe("invalid_tier_field");
    expect(code(() => tiers.set("pro", ["daily_cap=-1"], "cli")).code).toBe("invalid_tier_value");
    expect(code(() => tiers.set("pro", ["styles=nope"], "cli")).code).toBe("invalid_tier_value");
    expect(code(() => tiers.set("pro", ["period=year"], "cli")).code).toBe("invalid_tier_value");
    expect(tiers.get("pro").daily_cap).toBeNull(); // a refused change wrote nothing
  });

  it("a guest gets one master a week per IP: the second is limit_reached with next Monday", () => {
    const guest = guestCaller("10.0.0.1");
    expect(tiers.limitsFor(guest).remaining).toBe(1);
    tiers.check(guest, { kind: "master" });
    jobs.submit({ ...masterRequest(0), ownerKey: guest.ownerKey, userId: null });
    const r = code(() => tiers.check(guest, { kind: "master" }));
    expect(r).toMatchObject({ code: "limit_reached", status: 429 });
    expect(r.params.resets_at).toBe(NEXT_MONDAY);
    expect(r.params.resets).toBe("2026-12-07 00:00 UTC");
    // Another address is another guest; previews and measurements are not counted.
    tiers.check(guestCaller("10.0.0.2"), { kind: "master" });
    tiers.check(guest, { kind: "preview" });
    const v = tiers.limitsFor(guest);
    expect(v.masters).toMatchObject({ used: 1, limit: 1, remaining: 0, resets_at: NEXT_MONDAY });
    // Next Monday the week starts again.
    clock = NEXT_MONDAY;
    tiers.check(guest, { kind: "master" });
  });

  it("the in-transaction count refuses the racing second master and writes no job row", () => {
    const guest = guestCaller("10.0.0.3");
    jobs.submit({ ...masterRequest(0), ownerKey: guest.ownerKey, userId: null });
    const r = code(() => jobs.submit({ ...masterRequest(0), ownerKey: guest.ownerKey, userId: null }));
    expect(r.code).toBe("limit_reached");
    expect(jobs.counts().total).toBe(1);
  });

  it("a failed or cancelled master is given back (like its tokens)", () => {
    const guest = guestCaller("10.0.0.4");
    const job = jobs.submit({ ...masterRequest(0), ownerKey: guest.ownerKey, userId: null });
    jobs.cancel(job.id, "test");
    expect(tiers.limitsFor(guest).masters.remaining).toBe(1);
    tiers.check(guest, { kind: "master" });
  });

  it("a master counted for a job that failed while the process died is given back at recovery, once", () => {
    const guest = guestCaller("10.0.0.5");
    const job = jobs.submit({ ...masterRequest(0), ownerKey: guest.ownerKey, userId: null });
    expect(tiers.limitsFor(guest).masters.remaining).toBe(0);
    // What a worker killed right after committing `failed` leaves: the state, the count not given back.
    const store = createSqliteJobStore(w.dbh);
    const row = store.claimNext("dead-worker", 5, clock);
    expect(row?.publicId).toBe(job.id);
    if (!row) throw new Error("not claimed");
    expect(store.markFailed(row.id, "dead-worker", "timeout", "killed", clock)?.status).toBe("failed");
    expect(tiers.limitsFor(guest).masters.remaining).toBe(0);
    jobs.recover();
    jobs.recover(); // a second restart changes nothing more
    expect(tiers.limitsFor(guest).masters.remaining).toBe(1);
    const usage = w.dbh.sqlite.query("select released_at from tier_usage where ref = ?").all(job.id);
    expect(usage).toEqual([{ released_at: clock }]);
  });

  it("pro: 1 token a master, insufficient_tokens at 0, daily_limit_reached at 10 with tomorrow", () => {
    const id = w.user(501, "pro");
    const me = userCaller(id, "pro");
    expect(code(() => tiers.check(me, { kind: "master" }))).toMatchObject({
      code: "insufficient_tokens",
      status: 403,
    });
    w.ledger.credit(id, 20, { note: "t", actor: "cli" });
    for (let i = 0; i < 10; i++) {
      tiers.check(me, { kind: "master" });
      jobs.submit(masterRequest(id, `${i}.wav`));
    }
    expect(w.ledger.balance(id)).toBe(10);
    const r = code(() => tiers.check(me, { kind: "master" }));
    expect(r).toMatchObject({ code: "daily_limit_reached", status: 429 });
    expect(r.params.resets_at).toBe(TOMORROW);
    expect(code(() => jobs.submit(masterRequest(id, "11.wav"))).code).toBe("daily_limit_reached");
    expect(ledgerRows(w.dbh).filter((row) => row.reason === "charge").length).toBe(10);
    expect(tiers.limitsFor(me)).toMatchObject({
      tier: "pro",
      remaining: 0,
      tokens: { balance: 10, master: 1 },
      daily: { used: 10, limit: 10, remaining: 0, resets_at: TOMORROW },
    });
    clock = TOMORROW;
    tiers.check(me, { kind: "master" });
  });

  it("a batch is checked whole: n masters against remaining and n tokens against the balance", () => {
    const id = w.user(502, "pro");
    const me = userCaller(id, "pro");
    w.ledger.credit(id, 3, { note: "t", actor: "cli" });
    tiers.check(me, { kind: "master", batch: true, count: 3 });
    expect(code(() => tiers.check(me, { kind: "master", batch: true, count: 4 })).code).toBe(
      "insufficient_tokens",
    );
    expect(code(() => tiers.check(me, { kind: "master", batch: true, count: 11 })).code).toBe(
      "batch_too_large_for_tier",
    );
    const free = userCaller(w.user(503, "free"));
    expect(code(() => tiers.check(free, { kind: "master", batch: true, count: 1 }))).toMatchObject({
      code: "tier_forbids_batch",
      status: 403,
    });
  });

  it("upload cap, styles, formats and modules are the tier's", () => {
    const guest = guestCaller("10.0.0.5");
    const MB = 1024 * 1024;
    tiers.check(guest, { kind: "master", bytes: [100 * MB] });
    expect(code(() => tiers.check(guest, { kind: "master", bytes: [100 * MB + 1] }))).toMatchObject({
      code: "upload_too_large_for_tier",
      status: 413,
      params: { limit_mb: 100 },
    });
    expect(code(() => tiers.check(guest, { kind: "preview", settings: { style: "edm" } })).code).toBe(
      "tier_forbids_style",
    );
    expect(code(() => tiers.check(guest, { kind: "master", settings: { style: "auto" } })).code).toBe(
      "tier_forbids_style",
    );
    expect(code(() => tiers.check(guest, { kind: "master", settings: { format: "mp3" } })).code).toBe(
      "tier_forbids_format",
    );
    const free = userCaller(w.user(504, "free"));
    tiers.check(free, { kind: "master", settings: { style: "edm", format: "mp3" } });
    tiers.set("free", ["modules=eq,highpass"], "cli");
    tiers.check(free, { kind: "master", settings: { modules: { eq: {}, denoise: { enabled: false } } } });
    expect(
      code(() => tiers.check(free, { kind: "master", settings: { modules: { denoise: {} } } })),
    ).toMatchObject({ code: "tier_forbids_module", params: { module: "denoise" } });
    expect(tiers.uploadLimitBytes(free)).toBe(100 * MB);
  });
});

describe("tiers with MM_BILLING=off", () => {
  beforeEach(() => world("off"));
  afterEach(() => w.close());

  it("limits nothing and shows everything as unlimited", () => {
    const guest = guestCaller("10.0.0.9");
    for (let i = 0; i < 3; i++) tiers.check(guest, { kind: "master", settings: { style: "edm" } });
    expect(tiers.uploadLimitBytes(guest)).toBeUndefined();
    expect(tiers.check(guest, { kind: "master" }).priority).toBeUndefined();
    expect(tiers.limitsFor(guest)).toMatchObject({ billing: "off", remaining: null, upload_max_mb: null });
  });
});
