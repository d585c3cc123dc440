// Forgotten password, both steps on one page. Without a token: ask for the e-mail and POST it to
// /api/auth/forgot-password (the answer is the same for any address). With the mailed link
// /reset-password.html#token=… (the token stays in the fragment, so no server log or Referer sees it):
// ask for the new password and POST {token, new_password} to /api/auth/reset-password.
// Texts come from the server's RU/EN catalogue (/api/i18n/:lang).

const $ = (id) => document.getElementById(id);
const lang =
  localStorage.getItem("mm_lang") ||
  ((navigator.language || "en").toLowerCase().startsWith("ru") ? "ru" : "en");
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";

const texts = await (await fetch(`/api/i18n/${lang}`)).json();
document.documentElement.lang = lang;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = texts[el.dataset.i18n] || "";

/** Posts `body` to `path`; shows the answer's message (or its error) and hides `form` on success. */
function wire(form, path, body) {
  form.hidden = false;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": lang },
      body: JSON.stringify(body()),
    });
    const answer = await res.json().catch(() => ({}));
    $("reset-result").textContent = res.ok ? answer.message : answer.error?.message || String(res.status);
    if (res.ok) form.hidden = true;
  });
}

if (token)
  wire($("reset-form"), "/api/auth/reset-password", () => ({ token, new_password: $("new-password").value }));
else wire($("forgot-form"), "/api/auth/forgot-password", () => ({ email: $("forgot-email").value }));
// A link pasted into this same tab changes only the fragment: start over with the new token.
addEventListener("hashchange", () => location.reload());
