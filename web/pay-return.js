// Where the payment provider sends the buyer back (MM_PUBLIC_URL/?order=<id>, also /pay-return?order=):
// polls the order (GET /api/payments/orders/:id) until the provider's confirmation has been settled, then
// shows the credited tokens, the tier and the balance from /api/auth/me. The credit itself happens on the
// server (the provider's notification, or the reconcile task): this page only watches.
import { $, api, fmt, lang, money, onLangChange, showError, startPage, t } from "/lib/core.js";

const orderId = new URLSearchParams(location.search).get("order") || "";
// Fast while the buyer has just come back (a notification usually lands within seconds), then slower.
const FAST_MS = 1000;
const SLOW_MS = 5000;
const FAST_FOR_MS = 60_000;
const GIVE_UP_MS = 15 * 60_000;

let order = null;
let me = null;

function render(waitedOut = false) {
  if (!order) return;
  $("order-facts").hidden = false;
  $("order-id").textContent = order.order_id;
  $("order-plan").textContent = order.plan;
  $("order-amount").textContent = money(order.amount, order.currency);
  const pending = order.status === "pending";
  $("order-wait").hidden = !pending || waitedOut;
  $("order-state").textContent = t(pending && waitedOut ? "web_pay_still_pending" : `web_pay_status_${order.status}`);
  const credited = $("order-credited");
  credited.hidden = !(order.status === "succeeded" && me);
  if (!credited.hidden) {
    const parts = [t("web_pay_credited", { tokens: order.tokens, balance: me.balance })];
    if (order.tier)
      parts.push(t("web_pay_tier", { tier: me.tier, date: me.tier_expires_at ? new Date(me.tier_expires_at).toLocaleDateString(lang) : "—" }));
    credited.textContent = parts.join(" ");
    credited.dataset.balance = fmt(me.balance, 0);
  }
}

async function poll(startedAt) {
  try {
    order = await api(`/api/payments/orders/${encodeURIComponent(orderId)}`);
  } catch (err) {
    showError(null, err);
    if (err.status === 401) signInLink();
    // A refusal (not found, not signed in) will not change by asking again; a network error may.
    if (err.status !== 0) return;
  }
  if (order && order.status !== "pending") {
    me = await api("/api/auth/me").catch(() => null);
    render();
    return;
  }
  const waited = Date.now() - startedAt;
  if (waited > GIVE_UP_MS) return render(true);
  render();
  setTimeout(() => poll(startedAt), waited < FAST_FOR_MS ? FAST_MS : SLOW_MS);
}

function signInLink() {
  const a = Object.assign(document.createElement("a"), { href: `/account?next=${encodeURIComponent(location.pathname + location.search)}` });
  a.textContent = t("web_sign_in");
  $("error").append(" ", a);
}

startPage(async () => {
  if (!orderId) {
    $("order-state").textContent = t("web_pay_no_order");
    return;
  }
  onLangChange(() => render());
  $("order-state").textContent = t("web_pay_status_pending");
  $("order-wait").hidden = false;
  await poll(Date.now());
});
