// The OpenAPI rows and answer schemas of the admin panel's order actions (admin-payments.ts: the
// provider's record, refund, reconcile), spread into openapi.ts's ROUTES and SCHEMAS.
import type { RouteDoc } from "./openapi";
import {
  AdminOrderActionSchema,
  AdminOrderRecordSchema,
  ReconcileInput,
  RefundInput,
} from "./schemas-admin-payments";

export const ADMIN_PAYMENT_SCHEMAS = {
  AdminOrderRecord: AdminOrderRecordSchema,
  AdminOrderAction: AdminOrderActionSchema,
};

const ORDER = "/api/admin/payments/:id{[0-9a-fA-F-]{8,64}}";

export const ADMIN_PAYMENT_ROUTES: RouteDoc[] = [
  {
    method: "GET",
    path: `${ORDER}/provider`,
    summary:
      "The order's object re-fetched from its provider now (YooKassa payment + refunds, Platega transaction; Stars: the stored charge), credentials blanked, beside our refunds and ledger rows",
    access: "admin",
    ok: { 200: "AdminOrderRecord" },
  },
  {
    method: "POST",
    path: `${ORDER}/refund`,
    summary:
      "Refund through the provider (YooKassa: all or a part, Idempotence-Key from the order and the refund's number; Platega, Stars: all), the ledger reversal once; audited with before/after",
    access: "admin",
    body: "json",
    input: RefundInput,
    ok: { 200: "AdminOrderAction" },
  },
  {
    method: "POST",
    path: `${ORDER}/reconcile`,
    summary: "Re-fetch this order's payment from YooKassa or Platega now and settle it (audited)",
    access: "admin",
    body: "json",
    input: ReconcileInput,
    ok: { 200: "AdminOrderAction" },
  },
];
