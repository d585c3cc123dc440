// Platega settles through the same settlement as YooKassa and Stars, so its credits and chargebacks reach
// the receipts hook once: the admin chat (fake Bot API) gets one "payment received" for a callback
// delivered 15 times (10 of them at once) and one "refund" for a chargeback delivered 3 times.
// The body runs on the SQLite file (platega-receipts.test.ts) and on a harness Postgres (platega-receipts-pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { FakePlatega } from "../../fakes/platega";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, tempDir } from "../../fixtures/audio";
import type { ApiBackend } from "../api/backends";
import { account } from "../api/signed-in";

export function plategaReceiptsSuite(b: ApiBackend): void {
  describe.skipIf(b.skip)(`Platega receipts (${b.name})`, () => {
    const ADMIN_CHAT = -100778;
    let pg: FakePlatega;
    let tg: FakeTelegram;
    let s: RunningService;
    let dir: string;
    const logs: Record<string, unknown>[] = [];

    beforeAll(async () => {
      pg = new FakePlatega();
      tg = await FakeTelegram.start();
      dir = await tempDir("mm-pg-receipts-");
      s = await startService(
        loadConfig({
          PORT: "0",
          MM_DATA_DIR: dir,
          ...b.env(),
          MM_WORKERS: "1",
          MM_RATE_LIMIT_PER_MIN: "0",
          MM_PUBLIC_URL: "https://master.example.test",
          MM_PLATEGA_MERCHANT_ID: pg.merchantId,
          MM_PLATEGA_SECRET: pg.secret,
          MM_PLATEGA_API_ROOT: pg.url,
          MM_CRON_RECONCILE: "off",
          MM_BOT_TOKEN: tg.token,
          MM_TELEGRAM_API_ROOT: tg.apiRoot,
          MM_ADMIN_CHAT_ID: String(ADMIN_CHAT),
        }),
        createLogger("info", (line) => logs.push(JSON.parse(line))),
      );
      // Each runner must be on its backend (a Postgres runner silently on SQLite proves nothing).
      expect(s.backend.kind).toBe(b.kind);
      pg.callbackUrl = `${s.url}/api/payments/platega/callback`;
    });
    afterAll(async () => {
      await s.stop();
      await pg.stop();
      await tg.stop();
      await cleanup(dir);
    });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${s.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const adminTexts = () => tg.textsTo(ADMIN_CHAT).filter((t) => !t.includes("started on"));

    describe("Platega receipts", () => {
      it("one admin message for a credit delivered 15 times, one for a chargeback delivered 3 times", async () => {
        const email = "pg-receipt@example.com";
        const buyer = await account(s.url, email);
        const res = await post("/api/payments/create", { plan: "tokens_10" }, buyer.headers);
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
        await s.receipts.idle();
        const paid = adminTexts().slice(before);
        expect(paid).toHaveLength(1);
        for (const part of ["Payment received: 1000.00 ₽ via platega", email, c.order_id])
          expect(paid[0]).toContain(part);

        pg.notify.duplicate = 3;
        pg.chargeback(c.payment_id);
        await pg.settled();
        await s.receipts.idle();
        const after = adminTexts().slice(before);
        expect(after).toHaveLength(2);
        expect(after[1]).toContain("Refund: 1000.00 ₽ via platega");
        expect(logs.filter((l) => l.event === "receipt_queued" && l.order_id === c.order_id)).toHaveLength(2);
      });
    });
  });
}
