// Where the mailed confirmation link lands in a browser: GET /api/auth/verify-email answers a page
// navigation with a redirect here, ?result=done or ?error=<code> (API clients keep the JSON answer).
import { $, currentUser, onLangChange, startPage, t } from "/lib/core.js";

const query = new URLSearchParams(location.search);
const error = query.get("error");

async function render() {
  const ok = query.get("result") === "done";
  const key = ok ? "web_verify_done" : error === "token_invalid" ? "web_verify_invalid" : "web_verify_failed";
  $("verify-result").textContent = t(key);
  $("verify-result").className = ok ? "" : "error";
  const user = await currentUser();
  $("verify-next").textContent = t(user ? "web_verify_to_account" : "web_verify_sign_in");
}

startPage(async () => {
  await render();
  onLangChange(render);
});
