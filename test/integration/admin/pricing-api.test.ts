// Issue 14 point 6, the tiers and plans editors over HTTP on the real service (SQLite in a temp dir,
// loopback, billing on, the fake YooKassa speaking the v3 wire format): a tier edit applies to the next
// request and is one audit row with the admin, IP and before/after; a refused value changes nothing; a
// plan edit of several fields is all or nothing; a new plan is on sale at once; and a price change never
// alters an order that exists — the old order is paid at its own price and credits its own tokens.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { FakeYooKassa } from "../../fakes/yookassa";
import { type AdminFixture, startAdminFixture } from "./fixture";

let f: AdminFixture;
let yk: FakeYooKassa;
let buyer: Record<string, string> = {};
let buyerId = 0;

type Plan = { key: string; amount_minor: number; tokens: number; label_en: string; active: boolean };
type Tier = { name: string; daily_cap: number | null; styles: string[] | null };
type Failure = { error: { code: string; message: string } };

const json = async <T>(res: Response) => (await res.json()) as T;
const plans = async () =>
  (await json<{ plans: Plan[] }>(await f.call("admin", "GET", "/api/admin/plans"))).plans;
const planOf = async (key: string) => (await plans()).find((p) => p.key === key);
const audit = (target: string) =>
  f.s.dbh.sqlite
    .query<
      { actor: string; action: string; ip: string | null; details: string; before: string; after: string },
      [string]
    >("select actor, action, ip, details, before, after from audit_log where target = ? order by id")
    .all(target)
    .map((r) => ({
      ...r,
      details: JSON.parse(r.details),
      before: JSON.parse(r.before),
      after: JSON.parse(r.after),
    }));
const asBuyer = (method: string, path: string, body?: unknown) =>
  fetch(`${f.s.url}${path}`, {
    method,
    headers: { ...buyer, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const balance = async () => (await json<{ balance: number }>(await asBuyer("GET", "/api/auth/me"))).balance;

beforeAll(async () => {
  yk = new FakeYooKassa();
  f = await startAdminFixture({
    MM_BILLING: "on",
    MM_PUBLIC_URL: "https://master.example.test",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    MM_CRON_RECONCILE: "off",
  });
  yk.webhookUrl = `${f.s.url}/api/payments/webhook`;
  buyerId = await f.newUser("buyer.pricing@example.com", "buyer-password-12");
  const login = await fetch(`${f.s.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "buyer.pricing@example.com", password: "buyer-password-12" }),
  });
  buyer = { authorization: `Bearer ${(await json<{ token: string }>(login)).token}` };
}, 60_000);
afterAll(async () => {
  await f?.stop();
  await yk?.stop();
});

describe("tiers editor", () => {
  it("a tier edit applies to the next request, as one audit row with the admin's IP", async () => {
    const up = await f.call("admin_token", "POST", `/api/admin/users/${buyerId}/tier`, {
      tier: "pro",
      expires_at: null,
      reason: "pricing test",
    });
    expect(up.status).toBe(200);
    const limits = async () =>
      (await json<{ daily: { limit: number | null } }>(await asBuyer("GET", "/api/limits"))).daily.limit;
    expect(await limits()).toBe(10);

    const res = await f.call("admin", "PUT", "/api/admin/tiers/pro", {
      set: { daily_cap: "3", styles: "standard,lofi" },
    });
    expect(res.status).toBe(200);
    expect(await json<Tier>(res)).toMatchObject({ name: "pro", daily_cap: 3, styles: ["standard", "lofi"] });
    expect(await limits()).toBe(3);
    const rows = audit("tier:pro");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: expect.stringMatching(/^user:\d+$/),
      action: "tier_set",
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      before: { daily_cap: 10, styles: null },
      after: { daily_cap: 3, styles: ["standard", "lofi"] },
    });
    // Back to unlimited styles in the CLI's words.
    const back = await f.call("admin", "PUT", "/api/admin/tiers/pro", {
      set: { daily_cap: "10", styles: "all" },
    });
    expect(await json<Tier>(back)).toMatchObject({ daily_cap: 10, styles: null });
  });

  it("refuses a bad value in the caller's language and changes nothing, not even the good fields", async () => {
    const before = await json<{ tiers: Tier[] }>(await f.call("admin", "GET", "/api/admin/tiers"));
    const res = await fetch(`${f.s.url}/api/admin/tiers/studio`, {
      method: "PUT",
      headers: { ...f.as("admin", "PUT"), "content-type": "application/json", "accept-language": "ru" },
      body: JSON.stringify({ set: { daily_cap: "5", styles: "standard,no-such-style" } }),
    });
    expect(res.status).toBe(400);
    const body = await json<Failure>(res);
    expect(body.error.code).toBe("invalid_tier_value");
    expect(body.error.message).toMatch(/[а-я]/i);
    expect(await json<{ tiers: Tier[] }>(await f.call("admin", "GET", "/api/admin/tiers"))).toEqual(before);
    expect(audit("tier:studio")).toEqual([]);
    const unknown = await f.call("admin", "PUT", "/api/admin/tiers/platinum", { set: { daily_cap: "1" } });
    expect((await json<Failure>(unknown)).error.code).toBe("tier_not_found");
    const field = await f.call("admin", "PUT", "/api/admin/tiers/pro", { set: { colour: "red" } });
    expect([field.status, (await json<Failure>(field)).error.code]).toEqual([400, "invalid_tier_field"]);
  });

  it("offers the editor its choices: the fields and the ids of every list", async () => {
    const body = await json<{ choices: Record<string, string[]> }>(
      await f.call("admin", "GET", "/api/admin/tiers"),
    );
    expect(body.choices.fields).toContain("daily_cap");
    expect(body.choices.periods).toEqual(["day", "week", "month"]);
    expect(body.choices.styles).toContain("standard");
    expect(body.choices.formats).toContain("wav16");
  });
});

describe("plans editor", () => {
  it("changes several fields at once as one audit row; one bad value changes none", async () => {
    const res = await f.call("admin", "PATCH", "/api/admin/plans/tokens_1", {
      set: { label_en: "One token", stars: "none" },
    });
    expect(res.status).toBe(200);
    expect(await json<Plan>(res)).toMatchObject({ key: "tokens_1", label_en: "One token", stars: null });
    const rows = audit("plan:tokens_1");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "plan_set",
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      details: { fields: ["label_en", "stars"] },
      before: { label_en: "1 token", stars: 60 },
      after: { label_en: "One token", stars: null },
    });

    const bad = await f.call("admin", "PATCH", "/api/admin/plans/tokens_1", {
      set: { label_en: "Changed", price: "free" },
    });
    expect([bad.status, (await json<Failure>(bad)).error.code]).toEqual([400, "invalid_plan_value"]);
    expect((await planOf("tokens_1"))?.label_en).toBe("One token");
    expect(audit("plan:tokens_1")).toHaveLength(1);
    const missing = await f.call("admin", "PATCH", "/api/admin/plans/tokens_999", { set: { price: "1" } });
    expect(missing.status).toBe(404);
  });

  it("adds a plan that is on sale at once; a taken key or a tier plan without a period is refused", async () => {
    const res = await f.call("admin", "POST", "/api/admin/plans", {
      key: "tokens_20",
      kind: "tokens",
      set: { price: "1800", tokens: "20", label_ru: "20 токенов", label_en: "20 tokens" },
    });
    expect(res.status).toBe(201);
    expect(await json<Plan>(res)).toMatchObject({
      key: "tokens_20",
      amount_minor: 180_000,
      tokens: 20,
      active: true,
    });
    const onSale = await json<{ list: { key: string }[] }>(await fetch(`${f.s.url}/api/payments/plans`));
    expect(onSale.list.map((p) => p.key)).toContain("tokens_20");
    expect(audit("plan:tokens_20")).toEqual([
      expect.objectContaining({
        action: "plan_add",
        after: expect.objectContaining({ amountMinor: 180_000 }),
      }),
    ]);

    const again = await f.call("admin", "POST", "/api/admin/plans", {
      key: "tokens_20",
      kind: "tokens",
      set: { price: "1", label_ru: "x", label_en: "x" },
    });
    expect([again.status, (await json<Failure>(again)).error.code]).toEqual([409, "plan_exists"]);
    const noPeriod = await f.call("admin", "POST", "/api/admin/plans", {
      key: "pro_week",
      kind: "tier",
      tier: "pro",
      set: { price: "300", label_ru: "Pro на неделю", label_en: "Pro for a week" },
    });
    expect([noPeriod.status, (await json<Failure>(noPeriod)).error.code]).toEqual([
      400,
      "invalid_plan_value",
    ]);
    const freeTier = await f.call("admin", "POST", "/api/admin/plans", {
      key: "free_week",
      kind: "tier",
      tier: "free",
      set: { price: "1", period_days: "7", label_ru: "x", label_en: "x" },
    });
    expect(freeTier.status).toBe(400);
    expect(await planOf("pro_week")).toBeUndefined();
  });

  it("a price change never alters an order that exists: it is paid at its price and credits its tokens", async () => {
    const made = await asBuyer("POST", "/api/payments/create", { plan: "tokens_5" });
    expect(made.status).toBe(200);
    const old = await json<{ order_id: string; payment_id: string }>(made);
    const edit = await f.call("admin", "PATCH", "/api/admin/plans/tokens_5", {
      set: { price: "450", tokens: "6" },
    });
    expect(edit.status).toBe(200);

    type Order = { amount: string; tokens: number; status: string };
    const orderOf = async (id: string) => json<Order>(await asBuyer("GET", `/api/payments/orders/${id}`));
    expect(await orderOf(old.order_id)).toMatchObject({ amount: "500.00", tokens: 5, status: "pending" });
    const start = await balance();
    yk.pay(old.payment_id);
    await yk.settled();
    expect(await orderOf(old.order_id)).toMatchObject({ amount: "500.00", tokens: 5, status: "succeeded" });
    expect(yk.payments.get(old.payment_id)?.amount.value).toBe("500.00");
    expect((await balance()) - start).toBe(5);

    const fresh = await json<{ order_id: string; payment_id: string }>(
      await asBuyer("POST", "/api/payments/create", { plan: "tokens_5" }),
    );
    expect(await orderOf(fresh.order_id)).toMatchObject({ amount: "450.00", tokens: 6 });
    expect(yk.payments.get(fresh.payment_id)?.amount.value).toBe("450.00");
  });
});
