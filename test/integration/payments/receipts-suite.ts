// Receipts through the running service: fake YooKassa, fake Bot API (the buyer's chat and the admin chat)
// and a real SMTP server on loopback. After a credit the buyer gets one message in their language (e-mail
// for a web account, the bot for a Telegram one) naming plan, amount, tokens and the tier's new expiry; the
// admin chat gets "payment received" with amount, provider, user and order. Duplicate deliveries (10 in a
// row and 10 at once) send nothing more; a refund sends one notice each way.
// The body runs on the SQLite file (receipts.test.ts) and on a harness Postgres (receipts-pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { type SmtpFake, startSmtp } from "../../fakes/smtp";
import { FakeTelegram } from "../../fakes/telegram";
import { FakeYooKassa } from "../../fakes/yookassa";
import { type Buyer, PaymentsRig } from "../../fixtures/payments";
import { waitFor } from "../../fixtures/wait";
import type { ApiBackend } from "../api/backends";

export function receiptsSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`payment receipts (${b.name})`, () => {
    const PUBLIC = "https://master.example.test";
    const ADMIN_CHAT = -100777;
    let yk: FakeYooKassa;
    let tg: FakeTelegram;
    let smtp: SmtpFake;
    const rig = new PaymentsRig(b, {
      dirPrefix: "mm-receipts-",
      env: () => ({
        ...yk.serviceEnv(),
        MM_BOT_TOKEN: tg.token,
        MM_TELEGRAM_API_ROOT: tg.apiRoot,
        MM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
        MM_SMTP_URL: smtp.url,
        MM_MAIL_FROM: "Magic Master <noreply@mm.test>",
      }),
      started: (url) => {
        yk.webhookUrl = `${url}/api/payments/webhook`;
      },
    });
    const { logs } = rig;
    const post = rig.post.bind(rig);
    let n = 0;

    beforeAll(async () => {
      yk = new FakeYooKassa();
      tg = await FakeTelegram.start();
      smtp = await startSmtp();
      await rig.start();
    });
    afterAll(async () => {
      await rig.stop();
      await yk.stop();
      await tg.stop();
      await smtp.close();
    });

    /** A confirmed web account (SMTP delivers, so only a confirmed address gets receipts). */
    async function buyer(lang: "ru" | "en"): Promise<Buyer> {
      const email = `payer${++n}@example.com`;
      const password = "payer-password-123";
      expect(
        (await post("/api/auth/register", { email, password }, { "accept-language": lang })).status,
      ).toBe(202);
      const verify = await smtp.waitFor(email, 1);
      // The link is built from MM_PUBLIC_URL; the service itself listens on loopback.
      expect((await fetch((verify.link ?? "").replace(PUBLIC, rig.url))).status).toBe(200);
      await smtp.waitFor(email, 2); // the welcome mail: receipts count from here
      const b = (await (await post("/api/auth/login", { email, password })).json()) as {
        token: string;
        user: { id: number };
      };
      return { id: b.user.id, email, auth: { authorization: `Bearer ${b.token}` } };
    }

    async function pay(u: Buyer, plan: string, duplicates = 1) {
      const res = await post("/api/payments/create", { plan }, u.auth);
      expect(res.status).toBe(200);
      const c = (await res.json()) as { order_id: string; payment_id: string };
      yk.notify.duplicate = duplicates;
      yk.pay(c.payment_id);
      await yk.settled();
      yk.notify.duplicate = 1;
      return c;
    }

    const adminTexts = () => tg.textsTo(ADMIN_CHAT).filter((t) => !t.includes("started on"));
    /** Mails after the verification and welcome mails. */
    const receiptsOf = (email: string) => smtp.to(email).slice(2);

    describe("receipts after a credit", () => {
      it("10 deliveries in a row and 10 at once: one e-mail in the buyer's language, one admin message", async () => {
        const u = await buyer("ru");
        const adminBefore = adminTexts().length;
        const c = await pay(u, "tokens_10", 10);
        await Promise.all(
          Array.from({ length: 10 }, () => yk.deliver("payment.succeeded", { id: c.payment_id }, false)),
        );
        await yk.settled();
        await rig.s.receipts.idle();

        const mails = receiptsOf(u.email);
        expect(mails).toHaveLength(1);
        expect(mails[0]?.subject).toBe("Оплата получена: 10 токенов");
        const text = mails[0]?.text ?? "";
        expect(text).toContain("Сумма: 1000.00 ₽");
        expect(text).toContain("Токенов зачислено: 10 (баланс: 10)");
        expect(text).toContain(`Заказ: ${c.order_id}`);

        const admin = adminTexts().slice(adminBefore);
        expect(admin).toHaveLength(1);
        for (const part of ["Payment received: 1000.00 ₽ via yookassa", u.email, `#${u.id}`, c.order_id])
          expect(admin[0]).toContain(part);
        expect(logs.filter((l) => l.event === "receipt_queued" && l.order_id === c.order_id)).toHaveLength(1);
      });

      it("a tier plan's receipt names the tier and its new expiry (English)", async () => {
        const u = await buyer("en");
        const c = await pay(u, "pro_month");
        await rig.s.receipts.idle();
        const me = (await (await fetch(`${rig.url}/api/auth/me`, { headers: u.auth })).json()) as {
          tier: string;
          tier_expires_at: number;
        };
        expect(me.tier).toBe("pro");
        const date = new Date(me.tier_expires_at).toISOString().slice(0, 16).replace("T", " ");
        const [mail] = receiptsOf(u.email);
        expect(mail?.subject).toBe("Payment received: Pro for a month");
        expect(mail?.text).toContain(`Your pro tier runs until ${date} UTC.`);
        expect(mail?.text).toContain("Tokens credited: 50 (balance: 50)");
        expect(mail?.text).toContain(`Order: ${c.order_id}`);
      });

      it("a refund sends one notice to the buyer and one to the admin chat, however often it is delivered", async () => {
        const u = await buyer("en");
        const c = await pay(u, "tokens_5");
        await rig.s.receipts.idle();
        const adminBefore = adminTexts().length;
        yk.notify.duplicate = 3;
        yk.refund(c.payment_id);
        await yk.settled();
        yk.notify.duplicate = 1;
        await rig.s.receipts.idle();
        const notices = receiptsOf(u.email).filter((m) => m.subject.startsWith("Refund made"));
        expect(notices).toHaveLength(1);
        expect(notices[0]?.text).toContain("Tokens taken back: 5 (balance: 0)");
        const admin = adminTexts().slice(adminBefore);
        expect(admin).toHaveLength(1);
        expect(admin[0]).toContain("Refund: 500.00 ₽ via yookassa");
        expect(admin[0]).toContain(c.order_id);
      });

      it("Telegram Stars: the receipt comes by the bot in the user's language, once for two deliveries", async () => {
        const ann = FakeTelegram.user(5151, { lang: "ru", name: "Ann" });
        tg.userSendsText(ann, "/buy");
        await waitFor(() => tg.textsTo(ann.id).some((t) => t.includes("Telegram Stars")), { what: "/buy" });
        const before = tg.stars.invoices.length;
        tg.userPressesButtonLabelled(ann, "5 токенов");
        await waitFor(() => tg.stars.invoices.length > before, { what: "the invoice" });
        const inv = tg.stars.invoices.at(-1);
        if (!inv) throw new Error("no invoice");
        const adminBefore = adminTexts().length;
        await tg.userPays(ann, inv, { times: 2 });
        await waitFor(() => logs.some((l) => l.provider === "stars" && l.outcome === "duplicate"), {
          what: "the second delivery seen as a duplicate",
        });
        await waitFor(() => tg.textsTo(ann.id).some((t) => t.startsWith("Оплата получена")), {
          what: "the bot receipt",
        });
        await rig.s.receipts.idle();
        const receipts = tg.textsTo(ann.id).filter((t) => t.startsWith("Оплата получена"));
        expect(receipts).toHaveLength(1);
        expect(receipts[0]).toContain("5 токенов — 300 ⭐");
        expect(receipts[0]).toContain("Токенов зачислено: 5, баланс: 5");
        const admin = adminTexts().slice(adminBefore);
        expect(admin).toHaveLength(1);
        expect(admin[0]).toContain("Payment received: 300 ⭐ via stars");
        expect(admin[0]).toContain("tg:5151");
      });
    });
  });
}
