// The pricing page (/pricing): the plans from GET /api/payments/plans (labels in the page's language),
// tier periods and token packs. "Buy" creates the payment (POST /api/payments/create) and sends the buyer
// to the provider's confirmation page; the provider returns them to the pay-return page (/?order=<id>),
// which waits for the credit. A guest is sent to sign in first and comes back here.
import { $, api, currentUser, money, onLangChange, showError, startPage, t } from "/lib/core.js";

let user = null;

/** The provider picked in the "pay with" group (the only one when there is one). */
const chosenProvider = () => document.querySelector("input[name=provider]:checked")?.value;

function renderProviders(providers) {
  const list = $("providers-list");
  list.replaceChildren();
  $("providers").hidden = providers.length < 2;
  providers.forEach((p, i) => {
    const label = document.createElement("label");
    const input = Object.assign(document.createElement("input"), { type: "radio", name: "provider", value: p });
    input.checked = i === 0;
    const key = `web_pricing_provider_${p}`;
    label.append(input, ` ${t(key) === key ? p : t(key)}`);
    list.append(label);
  });
}

function planCard(plan, payable) {
  const li = document.createElement("li");
  li.className = "plan";
  li.dataset.plan = plan.key;
  const h = Object.assign(document.createElement("h3"), { textContent: plan.label });
  const price = Object.assign(document.createElement("p"), { className: "price", textContent: money(plan.amount, plan.currency) });
  const what = document.createElement("p");
  what.textContent =
    plan.kind === "tier"
      ? t("web_pricing_tier_includes", { tier: plan.tier, days: plan.period_days, tokens: plan.tokens })
      : t("web_pricing_pack_includes", { tokens: plan.tokens });
  li.append(h, price, what);
  if (plan.stars) li.append(Object.assign(document.createElement("p"), { className: "hint", textContent: t("web_pricing_stars", { stars: plan.stars }) }));
  const buy = Object.assign(document.createElement("button"), { type: "button", id: `buy-${plan.key}`, className: "buy" });
  buy.textContent = t(user ? "web_pricing_buy" : "web_pricing_sign_in_to_buy");
  buy.setAttribute("aria-label", `${buy.textContent}: ${plan.label}`);
  buy.disabled = !payable;
  const error = Object.assign(document.createElement("p"), { id: `buy-${plan.key}-error`, className: "error", hidden: true });
  error.setAttribute("role", "alert");
  buy.addEventListener("click", () => checkout(buy, plan));
  li.append(buy, error);
  return li;
}

async function checkout(buy, plan) {
  if (!user) {
    location.assign(`/account?next=${encodeURIComponent("/pricing")}`);
    return;
  }
  showError(buy, "");
  buy.disabled = true;
  try {
    const provider = chosenProvider();
    const made = await api("/api/payments/create", { json: { plan: plan.key, ...(provider ? { provider } : {}) } });
    // The provider's own page (another origin): a navigation, which the CSP does not restrict.
    location.assign(made.confirmation_url);
  } catch (err) {
    showError(buy, err);
    buy.disabled = false;
  }
}

async function render() {
  const plans = await api("/api/payments/plans");
  const payable = plans.providers.length > 0;
  const note = $("pricing-note");
  note.hidden = payable && Boolean(user);
  note.textContent = payable ? t("web_pricing_sign_in_first") : t("web_pricing_off");
  renderProviders(plans.providers);
  const tiers = plans.list.filter((p) => p.kind === "tier");
  $("plans-tier").replaceChildren(...tiers.map((p) => planCard(p, payable)));
  $("plans-tokens").replaceChildren(...plans.list.filter((p) => p.kind !== "tier").map((p) => planCard(p, payable)));
}

startPage(async () => {
  user = await currentUser();
  try {
    await render();
  } catch (err) {
    showError(null, err);
  }
  onLangChange(render);
});
