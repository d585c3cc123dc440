// Telegram Stars through the running service and the fake Bot API: /buy → invoice of an order written
// first, pre_checkout_query checked and answered, successful_payment credited once per charge id even when
// Telegram delivers it twice, a forged/mismatched checkout refused, /paysupport answered; the admin's
// /refund (the same service call as `admin refund`) refunds a Stars tier plan once and shortens the tier;
// /buy and /paysupport are in the RU/EN command menu, /refund only in the admin's own chat.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { commands } from "../../../src/cli";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";

let fake: FakeTelegram;
let s: RunningService;
let dir: string;
let env: Record<string, string>;
const logs: Record<string, unknown>[] = [];

const ann = FakeTelegram.user(4242, { lang: "ru", name: "Ann" });
const ADMIN = FakeTelegram.user(9001, { lang: "en", name: "Op" });
const userId = () =>
  s.dbh.sqlite
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE telegram_id = ?1")
    .get(String(ann.id))?.id ?? 0;
const rows = () =>
  s.dbh.sqlite
    .query<{ reason: string; delta: number; ref: string }, [number]>(
      "SELECT reason, delta, ref FROM ledger WHERE user_id = ?1 ORDER BY id",
    )
    .all(userId());

async function invoiceFor(label: string) {
  const before = fake.stars.invoices.length;
  fake.userSendsText(ann, "/buy");
  await waitFor(() => fake.textsTo(ann.id).some((t) => t.includes("Telegram Stars")), {
    what: "the /buy list",
  });
  fake.userPressesButtonLabelled(ann, label);
  await waitFor(() => fake.stars.invoices.length > before, { what: "the invoice" });
  return fake.stars.invoices.at(-1) as (typeof fake.stars.invoices)[number];
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
  dir = await tempDir("mm-stars-");
  env = {
    PORT: "0",
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_PUBLIC_URL: "https://mm.example.test",
    MM_ADMIN_IDS: String(ADMIN.id),
  };
  const config = loadConfig(env);
  s = await startService(
    config,
    createLogger("info", (line) => logs.push(JSON.parse(line))),
  );
});
afterAll(async () => {
  await s.stop();
  await fake.stop();
  await cleanup(dir);
});

describe("Telegram Stars", () => {
  it("/buy sends an XTR invoice of one price; a payment delivered twice is credited once", async () => {
    const inv = await invoiceFor("10 токенов");
    expect(inv.amount).toBe(600);
    expect(inv.payload).toMatch(/^order:[0-9a-f-]{36}$/);
    const answer = await fake.userPays(ann, inv, { times: 2 });
    expect(answer?.ok).toBe(true);
    await waitFor(() => fake.textsTo(ann.id).some((t) => t.includes("Оплата получена")), {
      what: "the receipt message",
    });
    await waitFor(
      () => logs.filter((l) => l.provider === "stars" && l.outcome === "duplicate").length === 1,
      { what: "the second delivery to be seen as a duplicate" },
    );
    const charge = fake.stars.charges.at(-1)?.chargeId;
    expect(rows()).toEqual([{ reason: "payment", delta: 10, ref: `stars:${charge}` }]);
    const order = inv.payload.slice("order:".length);
    expect(
      s.dbh.sqlite.query<{ status: string }, [string]>("SELECT status FROM orders WHERE id = ?1").get(order)
        ?.status,
    ).toBe("succeeded");
  });

  it("pre-checkout refuses a paid order, another amount and a forged payload, with a reason", async () => {
    const paid = fake.stars.invoices.at(-1);
    if (!paid) throw new Error("no invoice from the first test");
    const again = await fake.userPays(ann, paid);
    expect(again).toMatchObject({ ok: false });
    expect(again?.error_message).toContain("уже оплачен");

    const inv = await invoiceFor("1 токен");
    const cheaper = await fake.userPays(ann, inv, { amount: 1 });
    expect(cheaper?.ok).toBe(false);
    const forged = await fake.userPays(ann, {
      ...inv,
      payload: "order:00000000-0000-0000-0000-000000000000",
    });
    expect(forged?.ok).toBe(false);
    expect(rows()).toHaveLength(1);
  });

  it("admin refund calls refundStarPayment and reverses the credit exactly once", async () => {
    const first = fake.stars.invoices[0];
    if (!first) throw new Error("no invoice from the first test");
    const order = first.payload.slice("order:".length);
    const out: string[] = [];
    const io = { env, out: (t: string) => out.push(t), err: (t: string) => out.push(t), isTty: false };
    const admin = commands.admin as NonNullable<(typeof commands)["admin"]>;
    expect(await admin.run(["refund", order, "--json"], io)).toBe(0);
    expect(JSON.parse(out.at(-1) ?? "{}")).toMatchObject({ outcome: "refunded" });
    expect(await admin.run(["refund", order, "--json"], io)).toBe(0);
    expect(JSON.parse(out.at(-1) ?? "{}")).toMatchObject({ outcome: "duplicate" });
    expect(fake.stars.charges[0]?.refunded).toBe(true);
    expect(fake.callsOf("refundStarPayment")).toHaveLength(1);
    expect(rows().map((r) => [r.reason, r.delta])).toEqual([
      ["payment", 10],
      ["payment_refund", -10],
    ]);
  });

  it("/paysupport answers how to get help", async () => {
    fake.userSendsText(ann, "/paysupport");
    await waitFor(() => fake.textsTo(ann.id).some((t) => t.includes("оператор")), {
      what: "the /paysupport answer",
    });
  });

  it("/buy and /paysupport are in the RU and EN menus; /refund only in the admin's own chat", () => {
    for (const lang of ["ru", "en"]) {
      const menu = fake.commands.get(`${JSON.stringify({ type: "default" })}|${lang}`) as {
        command: string;
        description: string;
      }[];
      const names = menu.map((c) => c.command);
      expect(names).toContain("buy");
      expect(names).toContain("paysupport");
      expect(names).not.toContain("refund");
      expect(menu.find((c) => c.command === "buy")?.description).toBe(
        lang === "ru" ? "Купить токены или тариф" : "Buy tokens or a plan",
      );
    }
    const own = [...fake.commands.entries()].find(([k]) => k.includes(`"chat_id":${ADMIN.id}`))?.[1] as {
      command: string;
    }[];
    expect(own.map((c) => c.command)).toContain("refund");
  });

  it("the admin's /refund refunds a Stars tier plan once and takes its days off the tier", async () => {
    const inv = await invoiceFor("Pro на месяц");
    await fake.userPays(ann, inv);
    const order = inv.payload.slice("order:".length);
    const tierOf = () =>
      s.dbh.sqlite
        .query<{ tier: string; tier_expires_at: number | null }, [number]>(
          "SELECT tier, tier_expires_at FROM users WHERE id = ?1",
        )
        .get(userId());
    await waitFor(() => tierOf()?.tier === "pro", { what: "the pro tier" });
    const refunds = () => fake.callsOf("refundStarPayment").length;
    const before = refunds();

    // To anyone else the command does not exist.
    fake.userSendsText(ann, `/refund ${order}`);
    fake.userSendsText(ann, "/paysupport");
    await waitFor(() => fake.textsTo(ann.id).filter((t) => t.includes("оператор")).length >= 2, {
      what: "ann's updates handled",
    });
    expect(refunds()).toBe(before);

    fake.userSendsText(ADMIN, `/refund ${order}`);
    await waitFor(() => fake.textsTo(ADMIN.id).some((t) => t.includes(`Refunded: order ${order}`)), {
      what: "the refund answer",
    });
    fake.userSendsText(ADMIN, `/refund ${order}`);
    await waitFor(() => fake.textsTo(ADMIN.id).some((t) => t.includes("already refunded")), {
      what: "the second answer",
    });
    fake.userSendsText(ADMIN, "/refund 00000000-0000-0000-0000-000000000000");
    await waitFor(() => fake.textsTo(ADMIN.id).some((t) => t === "Order not found."), {
      what: "the unknown order answer",
    });
    expect(refunds()).toBe(before + 1);
    expect(tierOf()).toEqual({ tier: "free", tier_expires_at: null });
    const last = rows().slice(-2);
    expect(last.map((r) => [r.reason, r.delta])).toEqual([
      ["payment", 50],
      ["payment_refund", -50],
    ]);
    const audit = s.dbh.sqlite
      .query<{ actor: string; action: string }, []>(
        "SELECT actor, action FROM audit_log WHERE action LIKE 'bot_payment_refund%'",
      )
      .all();
    expect(audit).toEqual([
      { actor: `tg:${ADMIN.id}`, action: "bot_payment_refund" },
      { actor: `tg:${ADMIN.id}`, action: "bot_payment_refund" },
      { actor: `tg:${ADMIN.id}`, action: "bot_payment_refund_failed" },
    ]);
  });

  it("a successful_payment given again to the next leader (same update id) is credited once", async () => {
    const bob = FakeTelegram.user(4343, { lang: "ru", name: "Bob" });
    fake.userSendsText(bob, "/buy");
    await waitFor(() => fake.textsTo(bob.id).some((t) => t.includes("Telegram Stars")), {
      what: "bob's /buy",
    });
    const before = fake.stars.invoices.length;
    fake.userPressesButtonLabelled(bob, "10 токенов");
    await waitFor(() => fake.stars.invoices.length > before, { what: "bob's invoice" });
    const inv = fake.stars.invoices.at(-1) as (typeof fake.stars.invoices)[number];
    expect((await fake.userPays(bob, inv))?.ok).toBe(true);
    const paidId = fake.lastUpdateId;
    const charge = fake.stars.charges.at(-1)?.chargeId;
    const seen = (outcome: string) => () =>
      logs.filter((l) => l.provider === "stars" && l.outcome === outcome && l.charge_id === charge).length;
    await waitFor(() => seen("credited")() === 1, { what: "the credit" });
    // The bot restarted as the next leader would, Telegram giving it the payment again.
    await s.bot.stop();
    fake.redeliver(paidId);
    await s.bot.start();
    await waitFor(() => seen("duplicate")() === 1, { what: "the replay seen as a duplicate" });
    const bobRows = s.dbh.sqlite
      .query<{ delta: number; ref: string }, [string]>(
        "SELECT l.delta, l.ref FROM ledger l JOIN users u ON u.id = l.user_id WHERE u.telegram_id = ?1",
      )
      .all(String(bob.id));
    expect(bobRows).toEqual([{ delta: 10, ref: `stars:${charge}` }]);
    expect(logs.filter((l) => l.event === "bot_update_replayed" && l.update_id === paidId)).toEqual([]);
  });
});
