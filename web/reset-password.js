// Forgotten password, both steps on one page. Without a token: ask for the e-mail and POST it to
// /api/auth/forgot-password (the answer is the same for any address). With the mailed link
// /reset-password.html#token=… (the token stays in the fragment, so no server log or Referer sees it):
// ask for the new password and POST {token, new_password} to /api/auth/reset-password.
// Texts, the site header and API errors through /lib/core.js like every page.
import { $, api, startPage } from "/lib/core.js";

const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";

/** Posts `body` to `path`; shows the answer's message (or its error) and hides `form` on success. */
function wire(form, path, body) {
  form.hidden = false;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("reset-result").textContent = "";
    try {
      const answer = await api(path, { json: body() });
      $("reset-result").textContent = answer.message;
      form.hidden = true;
    } catch (err) {
      $("reset-result").textContent = err.message;
    }
  });
}

startPage(() => {
  if (token)
    wire($("reset-form"), "/api/auth/reset-password", () => ({
      token,
      new_password: $("new-password").value,
    }));
  else wire($("forgot-form"), "/api/auth/forgot-password", () => ({ email: $("forgot-email").value }));
});
// A link pasted into this same tab changes only the fragment: start over with the new token.
addEventListener("hashchange", () => location.reload());
