// Admin: one user's page (/admin/user?id=12) — profile, Telegram link, jobs, ledger, payments, referrals,
// sessions and API keys, and the actions: balance adjust (a ledger row with a reason; the form's ref makes
// a double submit adjust once), tier + expiry, ban/unban, end sessions / revoke keys, delete (anonymise).
import { $, api, el, fmtMoney, fmtTime, onLangChange, onSubmit, query, say, showError, startAdminPage, t, table } from "/admin/admin.js";

const id = Number(query().id);
let data = null;
/** A fresh operation id per balance form use: a resubmit of the same form is the same adjustment. */
let balanceRef = newRef();

function newRef() {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const post = (path, json) => api(`/api/admin/users/${path}`, { json });

function fact(label, value) {
  return [el("dt", {}, t(label)), el("dd", {}, value === null || value === undefined || value === "" ? "—" : value)];
}

function render() {
  if (!data) return;
  const u = data.user;
  $("title").textContent = t("webadmin_user_title", { id: u.id });
  $("profile").replaceChildren(
    ...fact("webadmin_col_email", u.email ? `${u.email}${u.email_verified ? " ✓" : ""}` : null),
    ...fact("webadmin_col_tier", u.tier),
    ...fact("webadmin_col_expires", u.tier_expires_at ? fmtTime(u.tier_expires_at) : null),
    ...fact("webadmin_col_balance", el("strong", { id: "balance" }, String(u.balance))),
    ...fact(
      "webadmin_col_status",
      [
        u.is_admin ? el("span", { class: "badge good" }, t("webadmin_badge_admin")) : null,
        u.banned ? el("span", { class: "badge bad", id: "banned-badge" }, `${t("webadmin_badge_banned")}: ${u.ban_reason || ""}`) : null,
        u.deleted_at ? el("span", { class: "badge" }, `${t("webadmin_badge_deleted")} ${fmtTime(u.deleted_at)}`) : null,
      ].filter(Boolean),
    ),
    ...fact("webadmin_col_created", fmtTime(u.created_at)),
    ...fact("webadmin_col_seen", fmtTime(u.last_seen_at)),
  );
  $("tier-name").value = u.tier === "guest" ? "free" : u.tier;
  $("ban-button").hidden = u.banned;
  $("unban-button").hidden = !u.banned;
  $("delete-help").textContent = t("webadmin_delete_confirm", { id: u.id });
  for (const f of ["balance-form", "tier-form", "ban-form", "revoke-form", "delete-form"])
    for (const c of $(f).elements) c.disabled = Boolean(u.deleted_at);

  const tg = data.telegram;
  $("telegram").replaceChildren(
    tg.linked ? t("webadmin_linked", { id: tg.telegram_id, name: tg.username ? `@${tg.username}` : "" }) : t("webadmin_not_linked"),
    tg.bot_blocked ? ` · ${t("webadmin_bot_blocked")}` : "",
    tg.merged_ids.length ? ` · ${t("webadmin_merged", { ids: tg.merged_ids.map((m) => `#${m}`).join(", ") })}` : "",
  );
  $("jobs").replaceChildren(
    table(
      [
        { key: "id", label: "webadmin_col_job", render: (j) => el("a", { href: `/admin/job?id=${j.id}` }, j.id) },
        { key: "status", label: "webadmin_col_status", render: (j) => (j.error ? `${j.status} (${j.error})` : j.status) },
        { key: "original_name", label: "webadmin_col_file" },
        { key: "source", label: "webadmin_col_source" },
        { key: "cost", label: "webadmin_col_cost", num: true, render: (j) => String(j.cost) },
        { key: "created_at", label: "webadmin_col_created", render: (j) => fmtTime(j.created_at) },
      ],
      data.jobs,
    ),
  );
  $("ledger").replaceChildren(
    table(
      [
        { key: "created_at", label: "webadmin_col_when", render: (l) => fmtTime(l.created_at) },
        { key: "delta", label: "webadmin_col_delta", num: true, render: (l) => (l.delta > 0 ? `+${l.delta}` : String(l.delta)) },
        { key: "reason", label: "webadmin_col_reason", render: (l) => `${l.reason}${l.note ? `: ${l.note}` : ""}` },
        { key: "actor", label: "webadmin_col_actor" },
      ],
      data.ledger,
      { id: "ledger-table" },
    ),
  );
  $("orders").replaceChildren(
    table(
      [
        { key: "id", label: "webadmin_col_order", render: (o) => el("a", { href: `/admin/payments?id=${o.id}` }, o.id) },
        { key: "plan", label: "webadmin_col_plan" },
        { key: "provider", label: "webadmin_col_provider" },
        { key: "status", label: "webadmin_col_status" },
        { key: "amount_minor", label: "webadmin_col_amount", num: true, render: (o) => fmtMoney(o.amount_minor, o.currency) },
        { key: "created_at", label: "webadmin_col_created", render: (o) => fmtTime(o.created_at) },
      ],
      data.orders,
    ),
  );
  const ref = (r) => el("a", { href: `/admin/user?id=${r.id}` }, `#${r.id} ${r.email || (r.username ? `@${r.username}` : "")}`);
  $("invited-by").replaceChildren(data.referrals.invited_by ? t("webadmin_invited_by", { who: "" }) : "", data.referrals.invited_by ? ref(data.referrals.invited_by) : "");
  $("referrals").replaceChildren(
    table(
      [
        { key: "id", label: "webadmin_col_user", render: ref },
        { key: "via", label: "webadmin_col_via" },
        { key: "status", label: "webadmin_col_status" },
        { key: "created_at", label: "webadmin_col_created", render: (r) => fmtTime(r.created_at) },
      ],
      data.referrals.invited,
    ),
  );
  $("sessions").replaceChildren(
    table(
      [
        { key: "created_at", label: "webadmin_col_created", render: (s) => fmtTime(s.created_at) },
        { key: "last_seen_at", label: "webadmin_col_seen", render: (s) => fmtTime(s.last_seen_at) },
        { key: "ip", label: "webadmin_col_ip" },
        { key: "user_agent", label: "webadmin_col_agent" },
      ],
      data.sessions,
      { id: "sessions-table" },
    ),
  );
  $("keys").replaceChildren(
    table(
      [
        { key: "prefix", label: "webadmin_col_id", render: (k) => `${k.prefix}…` },
        { key: "name", label: "webadmin_col_name" },
        { key: "created_at", label: "webadmin_col_created", render: (k) => fmtTime(k.created_at) },
        { key: "last_used_at", label: "webadmin_col_seen", render: (k) => fmtTime(k.last_used_at) },
        {
          key: "revoked_at",
          label: "webadmin_col_status",
          render: (k) => (k.revoked_at ? el("span", { class: "badge" }, `${t("webadmin_badge_revoked")} ${fmtTime(k.revoked_at)}`) : ""),
        },
      ],
      data.api_keys,
      { id: "keys-table" },
    ),
  );
}

async function load() {
  data = await api(`/api/admin/users/${id}`);
  render();
}

startAdminPage(async () => {
  onLangChange(render);
  try {
    await load();
  } catch (err) {
    showError(null, err);
    return;
  }
  onSubmit(
    $("balance-form"),
    (v) => post(`${id}/balance`, { delta: Number(v.delta), reason: v.reason, ref: balanceRef }),
    async (r) => {
      balanceRef = newRef();
      $("balance-form").reset();
      say(t(r.applied ? "webadmin_balance_done" : "webadmin_balance_repeat", { balance: r.balance }));
      await load();
    },
  );
  onSubmit(
    $("tier-form"),
    (v) => post(`${id}/tier`, { tier: v.tier, expires_at: v.until ? new Date(v.until).getTime() : null, reason: v.reason }),
    async () => {
      say(t("webadmin_done"));
      await load();
    },
  );
  onSubmit(
    $("ban-form"),
    (v) => post(`id:${id}/ban`, v.reason ? { reason: v.reason } : {}),
    async () => {
      say(t("webadmin_done"));
      await load();
    },
  );
  $("unban-button").addEventListener("click", async () => {
    showError($("ban-form"), "");
    try {
      await post(`id:${id}/unban`, {});
      say(t("webadmin_done"));
      await load();
    } catch (err) {
      showError($("ban-form"), err);
    }
  });
  let what = "sessions";
  for (const b of [$("revoke-sessions"), $("revoke-keys")]) b.addEventListener("click", () => (what = b.value));
  onSubmit(
    $("revoke-form"),
    (v) => post(`${id}/revoke`, { [what]: "all", reason: v.reason }),
    async (r) => {
      say(t("webadmin_revoked", { s: r.sessions_ended, k: r.keys_revoked }));
      await load();
    },
  );
  onSubmit(
    $("delete-form"),
    (v) => post(`${id}/delete`, { confirm: Number(v.confirm), reason: v.reason }),
    async (r) => {
      say(t("webadmin_deleted", { files: r.files }));
      await load();
    },
  );
});
