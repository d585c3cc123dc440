// Paging of GET /api/auth/history and GET /api/auth/ledger at their boundaries: a page exactly full, one
// row over, the last page, bad limits and cursors; another user's rows never appear; the ledger's public
// view carries no row id, user id or actor. Real SQLite, HTTP on loopback; jobs stay queued (no pool).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { z } from "zod";
import { SCHEMAS } from "../../../src/http/routes/openapi";
import type { HistorySchema, LedgerPageSchema } from "../../../src/http/routes/schemas-account";
import { cleanup } from "../../fixtures/audio";
import { stagedRequest } from "../../fixtures/submit";
import { type Harness, startApi } from "./harness";
import { type Account, account } from "./signed-in";

type History = z.infer<typeof HistorySchema>;
type LedgerPage = z.infer<typeof LedgerPageSchema>;

let h: Harness;
let alice: Account;
let bob: Account;
const JOBS = 45;
let aliceJobs: string[] = [];

async function getJson(a: Account, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${h.url}${path}`, { headers: a.headers });
  return { status: res.status, body: await res.json() };
}

/** Every page of `path` with `limit`: the page sizes and the ids in order. */
async function walk(a: Account, path: string, limit: number, idOf: (item: never) => string) {
  const sizes: number[] = [];
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const { status, body } = await getJson(a, `${path}${q}`);
    expect(status).toBe(200);
    const page = body as { items: never[]; next_cursor: string | null };
    sizes.push(page.items.length);
    ids.push(...page.items.map(idOf));
    cursor = page.next_cursor;
  } while (cursor !== null && sizes.length < 100);
  return { sizes, ids };
}

beforeAll(async () => {
  h = await startApi(
    { MM_MAX_QUEUED_PER_OWNER: "1000" },
    { start: false, costOf: (j) => (j.kind === "master" ? 1 : 0) },
  );
  alice = await account(h.url, "alice@example.com");
  bob = await account(h.url, "bob@example.com");
  // Submitted in a tight loop: many share a created_at millisecond, which the keyset must still order.
  for (let i = 0; i < JOBS; i++)
    h.jobs.submit(
      stagedRequest(h.layout.uploads, `a${i}`, { ownerKey: `user:${alice.id}`, userId: alice.id }),
    );
  h.jobs.submit(stagedRequest(h.layout.uploads, "b0", { ownerKey: `user:${bob.id}`, userId: bob.id }));
  // A guest's job from the same address is nobody's history.
  h.jobs.submit(stagedRequest(h.layout.uploads, "g0", { ownerKey: "ip:127.0.0.1" }));
  aliceJobs = h.jobs.historyOf(alice.id, 1000).jobs.map((j) => j.view.id);
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
});

describe("history pages", () => {
  const idOf = (i: { id: string }) => i.id;

  it("walks every job once, newest first, at page sizes around the total", async () => {
    expect(aliceJobs).toHaveLength(JOBS);
    for (const [limit, sizes] of [
      [20, [20, 20, 5]],
      [45, [45]],
      [44, [44, 1]],
      [46, [45]],
      [1, Array(JOBS).fill(1)],
    ] as [number, number[]][]) {
      const got = await walk(alice, "/api/auth/history", limit, idOf as never);
      expect(got.sizes, `limit ${limit}`).toEqual(sizes);
      expect(got.ids, `limit ${limit}`).toEqual(aliceJobs);
    }
    const first = (await getJson(alice, "/api/auth/history")).body as History;
    expect(first.items).toHaveLength(20); // default page
    expect(first.total).toBe(JOBS);
    SCHEMAS.History.parse(first);
  });

  it("a new job during the walk does not shift the pages already handed out", async () => {
    const p1 = (await getJson(alice, "/api/auth/history?limit=10")).body as History;
    const extra = h.jobs.submit(
      stagedRequest(h.layout.uploads, "late", { ownerKey: `user:${alice.id}`, userId: alice.id }),
    );
    const p2 = (await getJson(alice, `/api/auth/history?limit=10&cursor=${p1.next_cursor}`)).body as History;
    expect(p2.items.map((i) => i.id)).toEqual(aliceJobs.slice(10, 20));
    h.jobs.cancel(extra.id, "test");
    const top = (await getJson(alice, "/api/auth/history?limit=1")).body as History;
    expect(top.items[0]?.id).toBe(extra.id);
    aliceJobs = [extra.id, ...aliceJobs];
  });

  it("another user sees only their own; bad limits and cursors are 400", async () => {
    const b = (await getJson(bob, "/api/auth/history")).body as History;
    expect(b.items).toHaveLength(1);
    expect(b.total).toBe(1);
    for (const q of ["limit=0", "limit=101", "limit=x", "cursor=not-a-cursor", "cursor=bDE"]) {
      const r = await getJson(alice, `/api/auth/history?${q}`);
      expect(r.status, q).toBe(400);
    }
    const bad = (await getJson(alice, "/api/auth/history?cursor=zzz")).body as { error: { code: string } };
    expect(bad.error.code).toBe("invalid_cursor");
  });
});

describe("ledger pages", () => {
  const ROWS = 25;
  beforeAll(() => {
    for (let i = 1; i <= ROWS; i++) h.ledger.credit(alice.id, i, { note: `top-up ${i}`, actor: "tg:999" });
    h.ledger.credit(bob.id, 7, { note: "bob's", actor: "cli" });
    // A charge and its refund for one of Alice's jobs (the harness' ledger prices a master at 1).
    const job = {
      publicId: "CHARGE",
      ownerKey: `user:${alice.id}`,
      userId: alice.id,
      kind: "master" as const,
    };
    expect(h.ledger.reserve(job)).toBe(1);
    h.ledger.refund({ ...job, cost: 1 }, "failed");
  });

  it("lists the caller's rows newest first, with the balance, across pages", async () => {
    const { body, status } = await getJson(alice, "/api/auth/ledger?limit=10");
    expect(status).toBe(200);
    const p = SCHEMAS.LedgerPage.parse(body) as LedgerPage;
    expect(p.balance).toBe((ROWS * (ROWS + 1)) / 2);
    const at = expect.any(Number);
    expect(p.items.slice(0, 3)).toEqual([
      { delta: 1, reason: "refund", job_id: "CHARGE", note: "failed", by: "system", created_at: at },
      { delta: -1, reason: "charge", job_id: "CHARGE", note: null, by: "system", created_at: at },
      {
        delta: ROWS,
        reason: "admin_credit",
        job_id: null,
        note: `top-up ${ROWS}`,
        by: "admin",
        created_at: at,
      },
    ]);
    const all = ["1", "-1", ...Array.from({ length: ROWS }, (_, i) => String(ROWS - i))]; // 27 rows
    for (const [limit, sizes] of [
      [10, [10, 10, 7]],
      [27, [27]],
      [26, [26, 1]],
    ] as [number, number[]][]) {
      const got = await walk(alice, "/api/auth/ledger", limit, ((i: { delta: number }) =>
        String(i.delta)) as never);
      expect(got.sizes, `limit ${limit}`).toEqual(sizes);
      expect(got.ids, `limit ${limit}`).toEqual(all);
    }
  });

  it("shows no row id, user id or operator, and nothing of another user", async () => {
    const text = await (await fetch(`${h.url}/api/auth/ledger?limit=100`, { headers: alice.headers })).text();
    expect(text).not.toMatch(/"id"|user_id|tg:999|actor/);
    const b = SCHEMAS.LedgerPage.parse((await getJson(bob, "/api/auth/ledger")).body) as LedgerPage;
    expect(b.items.map((i) => i.note)).toEqual(["bob's"]);
    expect(b.balance).toBe(7);
    expect((await fetch(`${h.url}/api/auth/ledger`)).status).toBe(401);
    expect((await getJson(alice, "/api/auth/ledger?cursor=abc")).status).toBe(400);
  });
});
