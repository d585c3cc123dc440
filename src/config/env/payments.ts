// Payment providers (YooKassa, Platega) and the reconciliation of pending orders.

import { z } from "zod";
import { cron, csv, int, type Spec, url } from "../kinds";

export const PAYMENTS_ENV = {
  MM_YOOKASSA_SHOP_ID: {
    schema: z.string().trim(),
    default: "",
    describe: "YooKassa shop id (empty = YooKassa off: POST /api/payments/create answers 503)",
  },
  MM_YOOKASSA_SECRET_KEY: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "YooKassa secret key (test shops: test_…)",
  },
  MM_YOOKASSA_API_ROOT: {
    schema: url,
    default: "https://api.yookassa.ru/v3",
    describe: "YooKassa API root (tests point it at a fake)",
  },
  MM_YOOKASSA_WEBHOOK_IPS: {
    schema: csv.pipe(z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, "must be IPs or CIDR ranges"))),
    default:
      "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.154.128/25,77.75.156.11,77.75.156.35,2a02:5180::/32",
    describe:
      "Addresses allowed to POST /api/payments/webhook (CIDR list; empty = any; client IP per MM_TRUSTED_PROXIES)",
  },
  MM_YOOKASSA_RECEIPTS: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe: "on: send 54-FZ receipt data (the buyer's e-mail, one item) with every YooKassa payment",
  },
  MM_YOOKASSA_VAT_CODE: {
    schema: int(1, 12),
    default: "1",
    describe: "vat_code of the receipt item (1 = без НДС; an accounting decision)",
  },
  MM_PLATEGA_MERCHANT_ID: {
    schema: z.string().trim(),
    default: "",
    describe: "Platega merchant id (X-MerchantId; empty = Platega off)",
  },
  MM_PLATEGA_SECRET: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "Platega API key (X-Secret; also what its callbacks must carry)",
  },
  MM_PLATEGA_API_ROOT: {
    schema: url,
    default: "https://app.platega.io",
    describe: "Platega API root (tests point it at a fake)",
  },
  MM_PAYMENT_RECONCILE_MIN: {
    schema: int(0, 10_080),
    default: "15",
    describe:
      "Orders still pending after this many minutes are re-fetched from the provider (0 = all pending)",
  },
  MM_CRON_RECONCILE: { schema: cron, default: "*/5 * * * *", describe: "When pending orders are reconciled" },
} satisfies Record<string, Spec>;
