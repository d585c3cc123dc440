// Issue 14 point 4 (the listing part) over loopback HTTP on the real service: orders filtered by status,
// provider, user and id (order or provider payment id), paged with a total, and one order as stored.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AdminFixture, startAdminFixture } from "./fixture";

let f: AdminFixture;
let userA = 0;
let userB = 0;
const ids: string[] = [];
/** The id of the n-th order made in beforeAll. */
const nth = (n: number): string => ids[n] ?? "";
const order = (user: number, status: string, provider: string, at: number, paymentId: string | null) => {
  const id = crypto.randomUUID();
  // Test setup: orders as the payments service writes them (no provider is configured in this test).
  f.s.dbh.sqlite.run(
    `insert into orders (id, user_id, plan_key, kind, tokens, amount_minor, currency, provider, provider_payment_id,
       status, created_at, updated_at) values (?, ?, 'tokens_10', 'tokens', 10, 19900, 'RUB', ?, ?, ?, ?, ?)`,
    [id, user, provider, paymentId, status, at, at],
  );
  ids.push(id);
  return id;
};
const list = async (q: string) => {
  const res = await f.call("admin_token", "GET", `/api/admin/payments?${q}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; orders: { id: string; status: string; user: number }[] };
};

beforeAll(async () => {
  f = await startAdminFixture();
  userA = await f.newUser("buyer-a@example.com");
  userB = await f.newUser("buyer-b@example.com");
  const t0 = Date.now() - 10_000;
  order(userA, "succeeded", "yookassa", t0, "2f6c8d1e-000f-5000-8000-000000000001");
  order(userA, "pending", "platega", t0 + 1, null);
  order(userB, "refunded", "yookassa", t0 + 2, "2f6c8d1e-000f-5000-8000-000000000003");
  order(userB, "pending", "yookassa", t0 + 3, null);
});
afterAll(() => f.stop());

describe("admin payments", () => {
  test("filters by status, provider, user and id; newest first; pages with a total", async () => {
    expect((await list("")).orders.map((o) => o.id)).toEqual([...ids].reverse());
    expect((await list("status=pending")).orders.map((o) => o.id)).toEqual([nth(3), nth(1)]);
    expect((await list("provider=platega")).orders.map((o) => o.id)).toEqual([nth(1)]);
    expect((await list(`user=${userB}`)).orders.map((o) => o.status)).toEqual(["pending", "refunded"]);
    expect((await list("id=2f6c8d1e-000f-5000-8000-000000000003")).orders.map((o) => o.id)).toEqual([nth(2)]);
    expect((await list(`id=${ids[0]}`)).total).toBe(1);
    const page = await list("limit=3&offset=3");
    expect(page.total).toBe(4);
    expect(page.orders.map((o) => o.id)).toEqual([nth(0)]);
    expect((await f.call("admin_token", "GET", "/api/admin/payments?status=paid")).status).toBe(400);
  });

  test("one order as stored; an unknown id is 404 order_not_found", async () => {
    const res = await f.call("admin", "GET", `/api/admin/payments/${ids[0]}`);
    expect(await res.json()).toMatchObject({
      id: ids[0],
      user: userA,
      status: "succeeded",
      provider: "yookassa",
      provider_payment_id: "2f6c8d1e-000f-5000-8000-000000000001",
      amount_minor: 19900,
      currency: "RUB",
    });
    const missing = await f.call("admin", "GET", `/api/admin/payments/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("order_not_found");
  });
});
