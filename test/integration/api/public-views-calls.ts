// How public-views.test.ts calls each documented route, one entry per route of the OpenAPI table.
import {
  ACCOUNT,
  admin,
  adminTarget,
  type Ctx,
  finishedAlbum,
  get,
  loggedToken,
  newPreset,
  paidOrder,
  postJson,
  presetName,
  proSignIn,
  service,
  signedIn,
  signIn,
  upload,
} from "./public-views-ctx";

/** How the test calls each documented route (a second test proves this covers ROUTES). */
export const CALLS: Record<string, (x: Ctx) => Promise<Response>> = {
  "POST /api/v2/master": upload("/api/v2/master"),
  "POST /api/master": upload("/api/master"),
  "POST /api/v2/preview": upload("/api/v2/preview"),
  "POST /api/v2/batch": upload("/api/v2/batch", "files"),
  "POST /api/measure": upload("/api/measure"),
  "GET /api/v2/batch/:id/album": async (x) => fetch((await finishedAlbum(x)).album_url),
  "GET /api/v2/batch/:id/zip": async (x) => fetch((await finishedAlbum(x)).zip_url),
  "GET /api/v2/batch/:id/events": async (x) =>
    fetch((await finishedAlbum(x)).album_url.replace("/album?", "/events?")),
  "POST /api/v2/analyze": upload("/api/v2/analyze", "file", { extended: "true" }),
  "GET /api/jobs/:id": get((x) => `/api/jobs/${x.handle}`),
  "GET /api/jobs/:id/events": get((x) => `/api/jobs/${x.id}/events?token=${x.token}`),
  "GET /api/jobs/:id/result": get((x) => `/api/jobs/${x.handle}/result`),
  "GET /api/jobs/:id/plots": get((x) => `/api/jobs/${x.handle}/plots`),
  "GET /api/jobs/:id/before": get((x) => `/api/jobs/${x.handle}/before`),
  "GET /api/jobs/:id/formats": get((x) => `/api/jobs/${x.handle}/formats`),
  "POST /api/jobs/:id/formats": (x) => postJson(x, `/api/jobs/${x.handle}/formats`, { format: "flac24" }),
  // The delivered format (wav24 by default) is ready at once: the result itself.
  "GET /api/jobs/:id/formats/:format": get((x) => `/api/jobs/${x.handle}/formats/wav24`),
  // The job is done: 409 with an error body (the 200 is checked on a queued job below).
  "POST /api/jobs/:id/cancel": get((x) => `/api/jobs/${x.handle}/cancel`, { method: "POST" }),
  "GET /api/master/status/:id": get((x) => `/api/master/status/${x.handle}`),
  "GET /api/master/progress/:id": get((x) => `/api/master/progress/${x.handle}`),
  "GET /api/master/result/:id": get((x) => `/api/master/result/${x.handle}`),
  "GET /api/styles": get(() => "/api/styles"),
  "GET /api/presets": get(() => "/api/presets"),
  "GET /api/formats": get(() => "/api/formats"),
  "GET /api/v2/chain/default": get(() => "/api/v2/chain/default?style=house_basic"),
  "GET /api/version": get(() => "/api/version"),
  "GET /api/openapi.json": get(() => "/api/openapi.json"),
  "GET /api/health": get(() => "/api/health"),
  "GET /api/metrics": get(() => "/api/metrics"),
  "GET /metrics": get(() => "/metrics"),
  "GET /status": get(() => "/status"),
  "GET /status.css": get(() => "/status.css"),
  "GET /api/i18n/:lang": get(() => "/api/i18n/ru"),
  "GET /favicon.ico": get(() => "/favicon.ico", { redirect: "manual" }),
  "GET /job/:handle": get((x) => `/job/${x.handle}`),
  "GET /:page{[a-z][a-z0-9-]*}": get(() => "/reset-password"),
  "GET /": get(() => "/?order=ord_unknown"),
  "GET /register": get(() => "/register?ref=VIEWS"),
  "GET /api/admin/backup/db": get(() => "/api/admin/backup/db", admin),
  "GET /api/admin/stats": get(() => "/api/admin/stats?days=2", admin),
  "POST /api/admin/maintenance": get(() => "/api/admin/maintenance", {
    method: "POST",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: JSON.stringify({ on: false }),
  }),
  "GET /api/admin/i18n/:lang": get(() => "/api/admin/i18n/en", admin),
  "GET /api/admin/users": get(() => "/api/admin/users?q=example&limit=5", admin),
  "GET /api/admin/payments": get(() => "/api/admin/payments?limit=5", admin),
  "GET /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}": async (x) => {
    const id = crypto.randomUUID();
    service().dbh.sqlite.run(
      `insert into orders (id, user_id, plan_key, kind, tokens, amount_minor, currency, provider, status, created_at, updated_at)
       values (?, ?, 'tokens_10', 'tokens', 10, 19900, 'RUB', 'yookassa', 'pending', ?, ?)`,
      [id, await adminTarget(x), Date.now(), Date.now()],
    );
    return fetch(`${x.url}/api/admin/payments/${id}`, admin);
  },
  "GET /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/provider": async (x) =>
    fetch(`${x.url}/api/admin/payments/${await paidOrder(x)}/provider`, admin),
  "POST /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/refund": async (x) =>
    postJson(x, `/api/admin/payments/${await paidOrder(x)}/refund`, { reason: "views" }, admin.headers),
  "POST /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/reconcile": async (x) =>
    postJson(x, `/api/admin/payments/${await paidOrder(x)}/reconcile`, {}, admin.headers),
  "GET /api/admin/users/export.csv": get(() => "/api/admin/users/export.csv", admin),
  "GET /api/admin/users/:id{[0-9]+}": async (x) =>
    fetch(`${x.url}/api/admin/users/${await adminTarget(x)}`, admin),
  "POST /api/admin/users/:id{[0-9]+}/tier": async (x) =>
    postJson(
      x,
      `/api/admin/users/${await adminTarget(x)}/tier`,
      { tier: "pro", expires_at: Date.now() + 86_400_000, reason: "views" },
      admin.headers,
    ),
  "POST /api/admin/users/:id{[0-9]+}/balance": async (x) =>
    postJson(
      x,
      `/api/admin/users/${await adminTarget(x)}/balance`,
      { delta: 2, reason: "views", ref: `views-${Date.now()}` },
      admin.headers,
    ),
  "POST /api/admin/users/:id{[0-9]+}/revoke": async (x) =>
    postJson(
      x,
      `/api/admin/users/${await adminTarget(x)}/revoke`,
      { sessions: "all", reason: "views" },
      admin.headers,
    ),
  "POST /api/admin/users/:id{[0-9]+}/delete": async (x) => {
    const id = await adminTarget(x, "views-deleted@example.com");
    return postJson(x, `/api/admin/users/${id}/delete`, { confirm: id, reason: "views" }, admin.headers);
  },
  "GET /admin": get(() => "/admin", { ...admin, redirect: "manual" }),
  "GET /admin/:name{[a-z][a-z0-9-]*}": get(() => "/admin/users", admin),
  "GET /admin/:file{[a-z][a-z0-9-]*\\.(?:js|css|svg)}": get(() => "/admin/admin.js", admin),
  // Admin operations (admin-ops). SSE with ?once=1: the snapshot, then the stream ends.
  "GET /api/admin/dashboard": get(() => "/api/admin/dashboard", admin),
  "GET /api/admin/dashboard/events": get(() => "/api/admin/dashboard/events?once=1", admin),
  "GET /api/admin/jobs": get(() => "/api/admin/jobs?status=done,failed&limit=5", admin),
  "GET /api/admin/jobs/events": get(() => "/api/admin/jobs/events?once=1", admin),
  "GET /api/admin/jobs/:id": get((x) => `/api/admin/jobs/${x.id}`, admin),
  // The job is done: cancel and retry refuse with 409 (a charged and a free retry: test/unit/jobs/admin-retry.test.ts).
  "POST /api/admin/jobs/:id/cancel": (x) => postJson(x, `/api/admin/jobs/${x.id}/cancel`, {}, admin.headers),
  "POST /api/admin/jobs/:id/retry": (x) =>
    postJson(x, `/api/admin/jobs/${x.id}/retry`, { charge: false }, admin.headers),
  // Last route of the table to use the done job: its result is deleted here.
  "DELETE /api/admin/jobs/:id/result": get((x) => `/api/admin/jobs/${x.id}/result`, {
    method: "DELETE",
    ...admin,
  }),
  "GET /api/admin/settings": get(() => "/api/admin/settings", admin),
  "PUT /api/admin/settings/:key": get(() => "/api/admin/settings/alert_queue", {
    method: "PUT",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: JSON.stringify({ value: "50" }),
  }),
  "POST /api/admin/flags/:name": (x) => postJson(x, "/api/admin/flags/batch", { on: true }, admin.headers),
  // No SMTP and no bot in this service: both refuse with 409 (sending is proven in settings-effect.test.ts).
  "POST /api/admin/test-email": (x) =>
    postJson(x, "/api/admin/test-email", { to: "ops@example.com" }, admin.headers),
  "POST /api/admin/test-telegram": (x) => postJson(x, "/api/admin/test-telegram", {}, admin.headers),
  "GET /api/admin/tiers": get(() => "/api/admin/tiers", admin),
  "PUT /api/admin/tiers/:name": get(() => "/api/admin/tiers/studio", {
    method: "PUT",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: JSON.stringify({ set: { batch_max: "20" } }),
  }),
  "GET /api/admin/plans": get(() => "/api/admin/plans", admin),
  "PUT /api/admin/plans/:key": get(() => "/api/admin/plans/tokens_1", {
    method: "PUT",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: JSON.stringify({ field: "label_en", value: "1 token" }),
  }),
  "PATCH /api/admin/plans/:key": get(() => "/api/admin/plans/tokens_1", {
    method: "PATCH",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: JSON.stringify({ set: { label_en: "1 token", active: "on" } }),
  }),
  "POST /api/admin/plans": (x) =>
    postJson(
      x,
      "/api/admin/plans",
      {
        key: "views_pack",
        kind: "tokens",
        set: { price: "150", tokens: "2", label_ru: "2 токена", label_en: "2 tokens" },
      },
      admin.headers,
    ),
  "GET /api/admin/backups": get(() => "/api/admin/backups", admin),
  "POST /api/admin/backups": (x) => postJson(x, "/api/admin/backups", {}, admin.headers),
  "GET /api/admin/backups/:name": async (x) => {
    const made = (await (await postJson(x, "/api/admin/backups", {}, admin.headers)).json()) as {
      name: string;
    };
    return fetch(`${x.url}/api/admin/backups/${made.name}`, admin);
  },
  "GET /api/admin/audit": get(() => "/api/admin/audit?limit=20", admin),
  "POST /api/auth/register": (x) => postJson(x, "/api/auth/register", ACCOUNT),
  "POST /api/auth/login": async (x) => {
    await postJson(x, "/api/auth/register", ACCOUNT);
    return postJson(x, "/api/auth/login", ACCOUNT);
  },
  "POST /api/auth/logout": async (x) => postJson(x, "/api/auth/logout", {}, await signIn(x)),
  "GET /api/auth/me": async (x) => fetch(`${x.url}/api/auth/me`, { headers: await signIn(x) }),
  "GET /api/limits": async (x) => fetch(`${x.url}/api/limits`, { headers: await signIn(x) }),
  "POST /api/auth/change-password": async (x) =>
    postJson(
      x,
      "/api/auth/change-password",
      { current_password: ACCOUNT.password, new_password: ACCOUNT.password },
      await signIn(x),
    ),
  "POST /api/auth/forgot-password": (x) => postJson(x, "/api/auth/forgot-password", { email: ACCOUNT.email }),
  // Without SMTP the mails are logged (mail_logged); the token comes from there.
  "POST /api/auth/reset-password": async (x) => {
    await signIn(x);
    await postJson(x, "/api/auth/forgot-password", { email: ACCOUNT.email });
    await service().mail.idle(); // the mail is written after the answer
    const token = loggedToken("reset");
    return postJson(x, "/api/auth/reset-password", { token, new_password: ACCOUNT.password });
  },
  "GET /api/auth/verify-email": async (x) => {
    await signIn(x);
    await service().mail.idle();
    return fetch(`${x.url}/api/auth/verify-email?token=${loggedToken("verify")}`);
  },
  "GET /api/payments/plans": get(() => "/api/payments/plans"),
  "POST /api/payments/create": async (x) =>
    postJson(x, "/api/payments/create", { plan: "tokens_1" }, await signIn(x)),
  "GET /api/payments/orders/:id": async (x) => {
    const h = await signIn(x);
    const made = (await (await postJson(x, "/api/payments/create", { plan: "tokens_1" }, h)).json()) as {
      order_id: string;
    };
    return fetch(`${x.url}/api/payments/orders/${made.order_id}`, { headers: h });
  },
  // An unknown payment: re-fetched (404 at the provider), acknowledged with 200 and nothing changed.
  "POST /api/payments/webhook": (x) =>
    postJson(x, "/api/payments/webhook", {
      type: "notification",
      event: "payment.succeeded",
      object: { id: "2f6c8d1e-000f-5000-8000-1a2b3c4d5e6f", status: "succeeded" },
    }),
  // Platega is off here: a callback (whatever it carries) is refused with 401 and changes nothing.
  "POST /api/payments/platega/callback": (x) =>
    postJson(
      x,
      "/api/payments/platega/callback",
      { id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", status: "CONFIRMED" },
      { "x-merchantid": "", "x-secret": "" },
    ),
  "GET /api/auth/history": signedIn("/api/auth/history?limit=5"),
  "GET /api/auth/history/export.csv": signedIn("/api/auth/history/export.csv"),
  "GET /api/auth/ledger": signedIn("/api/auth/ledger?limit=5"),
  "GET /api/auth/presets": signedIn("/api/auth/presets"),
  "POST /api/auth/presets": async (x) =>
    postJson(x, "/api/auth/presets", { name: presetName(), settings: {} }, await signIn(x)),
  "GET /api/auth/presets/:id": signedIn("/api/auth/presets/:id", async (x, auth) => ({
    id: await newPreset(x, auth),
  })),
  "PUT /api/auth/presets/:id": signedIn("/api/auth/presets/:id", async (x, auth) => ({
    id: await newPreset(x, auth),
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: presetName(), settings: { format: "mp3", bitrate: 320 } }),
  })),
  "DELETE /api/auth/presets/:id": signedIn("/api/auth/presets/:id", async (x, auth) => ({
    id: await newPreset(x, auth),
    method: "DELETE",
  })),
  // No code was issued: the wrong-code error body (the merge's 200 is in test/integration/accounts/).
  "POST /api/auth/telegram/link": async (x) =>
    postJson(x, "/api/auth/telegram/link", { code: "000000" }, await signIn(x)),
  "POST /api/auth/telegram/unlink": async (x) =>
    postJson(x, "/api/auth/telegram/unlink", {}, await signIn(x)),
  "GET /api/referral/my-link": async (x) =>
    fetch(`${x.url}/api/referral/my-link`, { headers: await signIn(x) }),
  "GET /api/referral/stats": async (x) => fetch(`${x.url}/api/referral/stats`, { headers: await signIn(x) }),
  "GET /api/auth/api-keys": async (x) => fetch(`${x.url}/api/auth/api-keys`, { headers: await signIn(x) }),
  "POST /api/auth/api-keys": async (x) =>
    postJson(x, "/api/auth/api-keys", { name: "ci" }, await proSignIn(x)),
  "DELETE /api/auth/api-keys/:id": async (x) => {
    const auth = await proSignIn(x);
    const made = (await (await postJson(x, "/api/auth/api-keys", {}, auth)).json()) as { id: number };
    return fetch(`${x.url}/api/auth/api-keys/${made.id}`, { method: "DELETE", headers: auth });
  },
  "POST /api/admin/users/:ref/ban": async (x) => {
    await postJson(x, "/api/auth/register", { email: "ban-me@example.com", password: "ban-me-password" });
    return postJson(x, "/api/admin/users/ban-me%40example.com/ban", { reason: "schema test" }, admin.headers);
  },
  "POST /api/admin/users/:ref/unban": (x) =>
    postJson(x, "/api/admin/users/ban-me%40example.com/unban", {}, admin.headers),
};
