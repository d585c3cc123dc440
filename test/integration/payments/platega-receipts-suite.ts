// Platega settles through the same settlement as YooKassa and Stars, so its credits and chargebacks reach
// the receipts hook once: the admin chat (fake Bot API) gets one "payment received" for a callback
// delivered 15 times (10 of them at once) and one "refund" for a chargeback delivered 3 times.
// The body runs on the SQLite file (platega-receipts.test.ts) and on a harness Postgres (platega-receipts-pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { FakePlatega } from "../../fakes/platega";
import { FakeTelegram } from "../../fakes/telegram";
import { PaymentsRig } from "../../fixtures/payments";
import type { ApiBackend } from "../api/backends";

export function plategaReceiptsSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`Platega receipts (${b.name})`, () => {
    const ADMIN_CHAT = -100778;
    let pg: FakePlatega;
    let tg: FakeTelegram;
    const rig = new PaymentsRig(b, {
      dirPrefix: "mm-pg-receipts-",
      env: () => ({
        ...pg.serviceEnv(),
        MM_BOT_TOKEN: tg.token,
        MM_TELEGRAM_API_ROOT: tg.apiRoot,
        MM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
      }),
      started: (url) => {
        pg.callbackUrl = `${url}/api/payments/platega/callback`;
      },
    });
    const { logs } = rig;

    beforeAll(async () => {
      pg = new FakePlatega();
      tg = await FakeTelegram.start();
      await rig.start();
    });
    afterAll(async () => {
      await rig.stop();
      await pg.stop();
      await tg.stop();
    });

    const adminTexts = () => tg.textsTo(ADMIN_CHAT).filter((t) => !t.includes("started on"));

    describe("Platega receipts", () => {
      it("one admin message for a credit delivered 15 times, one for a chargeback delivered 3 times", async () => {
        const buyer = await rig.signUp("pg-receipt");
        const email = buyer.email;
        const res = await rig.create(buyer, { plan: "tokens_10" });
        expect(res.status).toBe(200);
        const c = (await res.json()) as { order_id: string; payment_id: string };
        const before = adminTexts().length;
        pg.notify.duplicate = 10;
        pg.confirm(c.payment_id);
        await pg.settled();
        pg.notify.duplicate = 1;
        const t = pg.transactions.get(c.payment_id) as NonNullable<ReturnType<typeof pg.transactions.get>>;
        for (let i = 0; i < 5; i++) {
          pg.deliver(pg.callbackOf(t));
          await pg.settled();
        }
        await rig.s.receipts.idle();
        const paid = adminTexts().slice(before);
        expect(paid).toHaveLength(1);
        for (const part of ["Payment received: 1000.00 ₽ via platega", email, c.order_id])
          expect(paid[0]).toContain(part);

        pg.notify.duplicate = 3;
        pg.chargeback(c.payment_id);
        await pg.settled();
        await rig.s.receipts.idle();
        const after = adminTexts().slice(before);
        expect(after).toHaveLength(2);
        expect(after[1]).toContain("Refund: 1000.00 ₽ via platega");
        expect(logs.filter((l) => l.event === "receipt_queued" && l.order_id === c.order_id)).toHaveLength(2);
      });
    });
  });
}
