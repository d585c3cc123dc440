// The page a reset mail links to: /reset-password.html#token=… (the token stays in the fragment, so no
// server log or Referer ever sees it). Posts {token, new_password} to /api/auth/reset-password.
// Texts come from the server's RU/EN catalogue (/api/i18n/:lang).

const $ = (id) => document.getElementById(id);
const lang =
  localStorage.getItem("mm_lang") || ((navigator.language || "en").toLowerCase().startsWith("ru") ? "ru" : "en");
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";

const texts = await (await fetch(`/api/i18n/${lang}`)).json();
document.documentElement.lang = lang;
for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = texts[el.dataset.i18n] || "";

$("reset-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const res = await fetch("/api/auth/reset-password", {
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": lang },
    body: JSON.stringify({ token, new_password: $("new-password").value }),
  });
  const body = await res.json().catch(() => ({}));
  $("reset-result").textContent = res.ok ? body.message : body.error?.message || String(res.status);
  if (res.ok) $("reset-form").hidden = true;
});
