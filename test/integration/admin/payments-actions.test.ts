// Issue 14 point 4 (the order actions) over loopback HTTP on the real service, against the fake YooKassa
// and Platega servers: an order's provider record re-fetched now (credentials never in it) beside our
// refunds and ledger rows; a refund through YooKassa (POST /v3/refunds with an Idempotence-Key from the
// order and the refund's number), full and partial, a double click making one provider refund and one
// reversal, a provider 500 answered with a clear 502 and nothing reversed; reconciling one pending order
// now (YooKassa and Platega); the CLI's `admin refund` making the same call; every action audited with
// the admin, the address and the money before/after.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { commands } from "../../../src/cli";
import { FakePlatega } from "../../fakes/platega";
import { FakeYooKassa } from "../../fakes/yookassa";
import { ADMIN_EMAIL, type AdminFixture, startAdminFixture } from "./fixture";

let f: AdminFixture;
let yk: FakeYooKassa;
let pg: FakePlatega;
let env: Record<string, string>;
let adminId = 0;
let n = 0;

type Buyer = { id: number; auth: Record<string, string> };
type Money = { status: string; refunded_minor: number; refunds: number; balance: number };
type Action = { outcome: string; order: { status: string }; before: Money; after: Money };
type ErrorBody = { error: { code: string; message: string } };

beforeAll(async () => {
  yk = new FakeYooKassa();
  pg = new FakePlatega();
  env = {
    MM_PUBLIC_URL: "https://master.example.test",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    MM_PLATEGA_MERCHANT_ID: pg.merchantId,
    MM_PLATEGA_SECRET: pg.secret,
    MM_PLATEGA_API_ROOT: pg.url,
    MM_CRON_RECONCILE: "off",
  };
  f = await startAdminFixture(env);
  yk.webhookUrl = `${f.s.url}/api/payments/webhook`;
  pg.callbackUrl = `${f.s.url}/api/payments/platega/callback`;
  adminId = (f.s.dbh.sqlite.query("select id from users where email = ?").get(ADMIN_EMAIL) as { id: number })
    .id;
});
afterAll(async () => {
  await f.stop();
  await yk.stop();
  await pg.stop();
});

async function buyer(): Promise<Buyer> {
  const email = `payer${++n}@example.com`;
  const id = await f.newUser(email, "payer-password-123");
  const res = await fetch(`${f.s.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "payer-password-123" }),
  });
  const { token } = (await res.json()) as { token: string };
  return { id, auth: { authorization: `Bearer ${token}` } };
}

/** An order of `plan` created by the buyer over HTTP; its order and provider payment ids. */
async function order(b: Buyer, provider: "yookassa" | "platega", plan = "tokens_10") {
  const res = await fetch(`${f.s.url}/api/payments/create`, {
    method: "POST",
    headers: { "content-type": "application/json", ...b.auth },
    body: JSON.stringify({ plan, provider }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { order_id: string; payment_id: string };
}

/** A YooKassa tokens_10 order (1000.00 RUB, 10 tokens) paid and credited through the webhook. */
async function paidYoo(b: Buyer) {
  const o = await order(b, "yookassa");
  yk.pay(o.payment_id);
  await yk.settled();
  expect(balance(b)).toBe(10);
  return o;
}

const balance = (b: Buyer) =>
  (
    f.s.dbh.sqlite.query("select coalesce(sum(delta), 0) as s from ledger where user_id = ?").get(b.id) as {
      s: number;
    }
  ).s;
const reversals = (b: Buyer) =>
  f.s.dbh.sqlite
    .query<{ delta: number; ref: string }, [number]>(
      "select delta, ref from ledger where user_id = ? and reason = 'payment_refund' order by id",
    )
    .all(b.id);
const providerRefunds = (paymentId: string) =>
  [...yk.refunds.values()].filter((r) => r.payment_id === paymentId);
const auditOf = (orderId: string) =>
  (
    f.s.dbh.sqlite
      .query("select actor, action, ip, details, before, after from audit_log where target = ? order by id")
      .all(`order:${orderId}`) as {
      actor: string;
      action: string;
      ip: string | null;
      details: string;
      before: string | null;
      after: string | null;
    }[]
  ).map((r) => ({
    ...r,
    details: JSON.parse(r.details),
    before: r.before && JSON.parse(r.before),
    after: r.after && JSON.parse(r.after),
  }));
const refund = (orderId: string, body: unknown, lang = "en") =>
  fetch(`${f.s.url}/api/admin/payments/${orderId}/refund`, {
    method: "POST",
    headers: { ...f.as("admin", "POST"), "content-type": "application/json", "accept-language": lang },
    body: JSON.stringify(body),
  });
type OrderRecord = { remote: unknown; ledger: unknown[] };
const record = async (orderId: string) =>
  (await (await f.call("admin", "GET", `/api/admin/payments/${orderId}/provider`)).json()) as OrderRecord;
const act = async (res: Response | Promise<Response>, status = 200): Promise<Action> => {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as Action;
};
const errorOf = async (res: Response | Promise<Response>, status: number): Promise<ErrorBody["error"]> => {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return (JSON.parse(text) as ErrorBody).error;
};

describe("refund through YooKassa", () => {
  test("a double click is one provider refund and one reversal; the webhook that follows changes nothing", async () => {
    const b = await buyer();
    const o = await paidYoo(b);
    const [one, two] = await Promise.all([
      act(refund(o.order_id, { reason: "asked by the buyer" })),
      act(refund(o.order_id, { reason: "asked by the buyer" })),
    ]);
    // The second click joins the first while it is in flight ("refunded" twice) or, if it arrives after
    // the first finished, finds the order refunded ("duplicate"): either way one refund, one reversal.
    expect([one.outcome, two.outcome]).toContain("refunded");
    for (const a of [one, two]) expect(["refunded", "duplicate"]).toContain(a.outcome);
    await yk.settled(); // refund.succeeded delivered, re-fetched by our webhook: already done
    expect(providerRefunds(o.payment_id)).toHaveLength(1);
    expect(providerRefunds(o.payment_id)[0]?.amount).toEqual({ value: "1000.00", currency: "RUB" });
    expect(yk.requests.filter((r) => r.path === "/v3/refunds").map((r) => r.key)).toContain(
      `order:${o.order_id}:refund:1`,
    );
    expect(reversals(b)).toEqual([{ delta: -10, ref: `yookassa:${o.payment_id}` }]);
    expect(balance(b)).toBe(0);
    // A third click later: the order is refunded, nothing is sent and nothing changes.
    const sent = yk.requests.length;
    expect((await act(refund(o.order_id, { reason: "again" }))).outcome).toBe("duplicate");
    expect(yk.requests.length).toBe(sent);
    const audit = auditOf(o.order_id).filter((r) => r.action === "payment_refund");
    expect(audit[0]).toMatchObject({
      actor: `user:${adminId}`,
      ip: "127.0.0.1",
      details: { provider: "yookassa", reason: "asked by the buyer", outcome: "refunded" },
      before: { status: "succeeded", refunded_minor: 0, refunds: 0, balance: 10 },
      after: { status: "refunded", refunded_minor: 100000, refunds: 1, balance: 0 },
    });
  });

  test("partial refunds take their share once each; a stale page gets 409 and no second refund", async () => {
    const b = await buyer();
    const o = await paidYoo(b);
    const part = await act(refund(o.order_id, { amount: "250.00", reason: "partly", refund_no: 1 }));
    expect(part.outcome).toBe("partial_refund");
    expect(part.after).toMatchObject({ status: "succeeded", refunded_minor: 25000, refunds: 1, balance: 7 });
    // The same form sent again (refund #1 is done): refused, the provider is not called.
    const stale = await errorOf(
      refund(o.order_id, { amount: "250.00", reason: "partly", refund_no: 1 }),
      409,
    );
    expect(stale.code).toBe("refund_stale");
    expect(providerRefunds(o.payment_id)).toHaveLength(1);
    // More than is left: a precise 400 naming the maximum, in Russian for a Russian admin.
    const over = await errorOf(refund(o.order_id, { amount: "800", reason: "too much" }, "ru"), 400);
    expect(over.code).toBe("refund_amount_invalid");
    expect(over.message).toContain("750.00 RUB");
    expect(over.message).toMatch(/[а-я]/);
    const rest = await act(refund(o.order_id, { reason: "the rest", refund_no: 2 }));
    expect(rest.outcome).toBe("refunded");
    await yk.settled();
    expect(providerRefunds(o.payment_id).map((r) => r.amount.value)).toEqual(["250.00", "750.00"]);
    expect(yk.requests.filter((r) => r.path === "/v3/refunds").map((r) => r.key)).toEqual(
      expect.arrayContaining([`order:${o.order_id}:refund:1`, `order:${o.order_id}:refund:2`]),
    );
    expect(reversals(b).map((r) => r.delta)).toEqual([-3, -7]);
    expect(balance(b)).toBe(0);
  });

  test("YooKassa answering 500 is a clear 502; nothing is reversed; the retry makes exactly one refund", async () => {
    const b = await buyer();
    const o = await paidYoo(b);
    yk.faults.down = 100;
    const e = await errorOf(refund(o.order_id, { reason: "provider down" }), 502);
    yk.faults.down = 0;
    expect(e.code).toBe("refund_provider_failed");
    expect(e.message).toBe(
      "YooKassa did not perform the refund (internal_server_error). Nothing was taken back; retrying is safe — no second refund is made.",
    );
    expect(reversals(b)).toEqual([]);
    expect(balance(b)).toBe(10);
    expect(providerRefunds(o.payment_id)).toHaveLength(0);
    expect(auditOf(o.order_id).at(-1)).toMatchObject({
      action: "payment_refund_failed",
      details: { code: "refund_provider_failed" },
      before: { status: "succeeded", balance: 10 },
    });
    // The provider made the refund but its answer was lost (500 after create): the repeat with the same
    // key gets the stored answer, so one refund exists and one reversal is written.
    yk.faults.failAfterCreate = 1;
    expect((await act(refund(o.order_id, { reason: "retry" }))).outcome).toBe("refunded");
    await yk.settled();
    expect(providerRefunds(o.payment_id)).toHaveLength(1);
    expect(reversals(b)).toHaveLength(1);
    expect(balance(b)).toBe(0);
  });

  test("bad requests: no reason, an unpaid order, an unknown order, a part of a Platega order", async () => {
    const b = await buyer();
    const pending = await order(b, "yookassa");
    expect((await errorOf(refund(pending.order_id, {}), 400)).code).toBe("invalid_request");
    expect((await errorOf(refund(pending.order_id, { reason: "x" }), 409)).code).toBe("order_not_refundable");
    expect((await errorOf(refund(crypto.randomUUID(), { reason: "x" }), 404)).code).toBe("order_not_found");
    const p = await order(b, "platega");
    pg.confirm(p.payment_id);
    await pg.settled();
    const part = await errorOf(refund(p.order_id, { amount: "100", reason: "part" }), 400);
    expect(part.code).toBe("refund_partial_unsupported");
    expect(pg.transactions.get(p.payment_id)?.status).toBe("CONFIRMED");
  });

  test("the CLI's admin refund makes the same call: a part through YooKassa, audited as cli", async () => {
    const b = await buyer();
    const o = await paidYoo(b);
    const out: string[] = [];
    const io = {
      env: { ...env, MM_DATA_DIR: f.dir },
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      isTty: false,
    };
    const admin = commands.admin as NonNullable<(typeof commands)["admin"]>;
    const code = await admin.run(
      ["refund", o.order_id, "--amount", "500", "--reason", "cli part", "--json"],
      io,
    );
    expect(code, out.join("\n")).toBe(0);
    expect(JSON.parse(out.at(-1) ?? "{}")).toMatchObject({ outcome: "partial_refund", balance: 5 });
    expect(providerRefunds(o.payment_id).map((r) => r.amount.value)).toEqual(["500.00"]);
    expect(auditOf(o.order_id).at(-1)).toMatchObject({
      actor: "cli",
      action: "payment_refund",
      before: { balance: 10 },
      after: { balance: 5, refunds: 1 },
    });
  });
});

describe("provider record", () => {
  test("YooKassa: the payment and its refunds as the API has them now, beside our rows; no credential", async () => {
    const b = await buyer();
    const o = await paidYoo(b);
    await act(refund(o.order_id, { amount: "100", reason: "for the record" }));
    const res = await f.call("admin", "GET", `/api/admin/payments/${o.order_id}/provider`);
    const text = await res.text();
    expect(res.status).toBe(200);
    const rec = JSON.parse(text);
    expect(rec.remote).toMatchObject({
      ok: true,
      source: "provider",
      object: { id: o.payment_id, status: "succeeded" },
    });
    expect(rec.remote.object.refunded_amount).toEqual({ value: "100.00", currency: "RUB" });
    expect(rec.remote.refunds).toHaveLength(1);
    expect(rec.money).toMatchObject({ status: "succeeded", refunded_minor: 10000, refunds: 1, balance: 9 });
    expect(rec.refunds).toHaveLength(1);
    expect(rec.ledger.map((r: { reason: string; delta: number }) => [r.reason, r.delta])).toEqual([
      ["payment", 10],
      ["payment_refund", -1],
    ]);
    expect(text).not.toContain(yk.secretKey);
    // The provider down: the stored part still answers, the provider's part is a clear error.
    yk.faults.down = 100;
    const down = await record(o.order_id);
    yk.faults.down = 0;
    expect(down.remote).toEqual({
      ok: false,
      error: {
        code: "provider_request_failed",
        message: "YooKassa did not answer (internal_server_error). Nothing was changed; retry later.",
      },
    });
    expect(down.ledger).toHaveLength(2);
  });

  test("Platega: the transaction with its merchant id blanked", async () => {
    const b = await buyer();
    const p = await order(b, "platega");
    pg.confirm(p.payment_id);
    await pg.settled();
    const res = await f.call("admin", "GET", `/api/admin/payments/${p.order_id}/provider`);
    const text = await res.text();
    const rec = JSON.parse(text);
    expect(rec.remote.object).toMatchObject({
      id: p.payment_id,
      status: "CONFIRMED",
      mechantId: "[redacted]",
    });
    expect(text).not.toContain(pg.merchantId);
    expect(text).not.toContain(pg.secret);
  });
});

describe("reconcile one order now", () => {
  test("YooKassa: a payment whose notification never came is credited once; audited", async () => {
    const b = await buyer();
    const o = await order(b, "yookassa");
    yk.notify.hold = true; // the notification is held back: only our re-fetch can see the payment
    yk.pay(o.payment_id);
    const r = await act(f.call("admin", "POST", `/api/admin/payments/${o.order_id}/reconcile`, {}));
    yk.notify.hold = false;
    expect(r.outcome).toBe("credited");
    expect(r.before).toMatchObject({ status: "pending", balance: 0 });
    expect(r.after).toMatchObject({ status: "succeeded", balance: 10 });
    yk.release();
    await yk.settled();
    expect(balance(b)).toBe(10);
    expect(
      (await act(f.call("admin", "POST", `/api/admin/payments/${o.order_id}/reconcile`, {}))).outcome,
    ).toBe("duplicate");
    expect(auditOf(o.order_id).map((a) => [a.action, a.actor, a.details.outcome])).toEqual([
      ["payment_reconcile", `user:${adminId}`, "credited"],
      ["payment_reconcile", `user:${adminId}`, "duplicate"],
    ]);
  });

  test("Platega: a confirmed transaction is credited; the API down is a 502 and nothing changes", async () => {
    const b = await buyer();
    const p = await order(b, "platega");
    pg.faults.down = 1;
    const e = await errorOf(f.call("admin", "POST", `/api/admin/payments/${p.order_id}/reconcile`, {}), 502);
    expect(e.code).toBe("provider_request_failed");
    pg.notify.hold = true;
    pg.confirm(p.payment_id);
    expect(balance(b)).toBe(0);
    const r = await act(f.call("admin", "POST", `/api/admin/payments/${p.order_id}/reconcile`, {}));
    pg.notify.hold = false;
    expect(r.outcome).toBe("credited");
    expect(balance(b)).toBe(10);
    expect(auditOf(p.order_id).map((a) => a.action)).toEqual([
      "payment_reconcile_failed",
      "payment_reconcile",
    ]);
  });

  test("a Stars order has nothing to re-fetch: 409 order_not_reconcilable", async () => {
    const b = await buyer();
    const id = crypto.randomUUID();
    // Test setup: a Stars order as the bot writes it (no bot runs in this test).
    f.s.dbh.sqlite.run(
      `insert into orders (id, user_id, plan_key, kind, tokens, amount_minor, currency, provider, provider_payment_id,
         status, created_at, updated_at) values (?, ?, 'tokens_10', 'tokens', 10, 25000, 'XTR', 'stars', 'stx-1', 'succeeded', ?, ?)`,
      [id, b.id, Date.now(), Date.now()],
    );
    const e = await errorOf(f.call("admin", "POST", `/api/admin/payments/${id}/reconcile`, {}), 409);
    expect(e.code).toBe("order_not_reconcilable");
    const rec = await record(id);
    expect(rec.remote).toMatchObject({
      ok: true,
      source: "stored",
      object: { telegram_payment_charge_id: "stx-1" },
    });
  });
});
