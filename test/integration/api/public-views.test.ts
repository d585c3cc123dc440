// Every route the service registers is documented (src/http/routes/openapi.ts ROUTES), and every answer —
// JSON bodies, SSE event payloads, error bodies — parses with its documented schema. The schemas are strict,
// so an undocumented field (a row's owner_key, user_id, bot ids…) fails here. Real service, real ffmpeg,
// HTTP over loopback.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { z } from "zod";
import { loadConfig } from "../../../src/config";
import { ROUTES, type RouteDoc, SCHEMAS, type SchemaName } from "../../../src/http/routes/openapi";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { FakeYooKassa } from "../../fakes/yookassa";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi, until } from "./harness";

const ADMIN = "admin-token-for-the-schema-test-0123456789";
const PRIVATE = /owner_key|user_id|bot_chat_id|bot_message_id|access_token|input_path|127\.0\.0\.1/;

type Got = { status: number; type: string; text: string; events: { event: string; data: string }[] };
type Ctx = { url: string; handle: string; id: string; token: string; wav: string };

async function got(res: Response): Promise<Got> {
  const type = res.headers.get("content-type") ?? "";
  const text = type.startsWith("audio/") || type.includes("sqlite") ? "" : await res.text();
  if (type.startsWith("audio/") || type.includes("sqlite")) await res.arrayBuffer();
  const events: Got["events"] = [];
  if (type.startsWith("text/event-stream"))
    for (const block of text.split("\n\n")) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) events.push({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "message", data });
    }
  return { status: res.status, type, text, events };
}

const upload =
  (path: string, field = "file", extra: Record<string, string> = {}) =>
  async (x: Ctx) =>
    fetch(`${x.url}${path}`, {
      method: "POST",
      body: await form([{ field, name: "take.wav", data: x.wav }], extra),
    });
const get =
  (path: (x: Ctx) => string, init: RequestInit = {}) =>
  (x: Ctx) =>
    fetch(`${x.url}${path(x)}`, init);
const admin = { headers: { authorization: `Bearer ${ADMIN}` } };
const ACCOUNT = { email: "views@example.com", password: "views-password" };
const postJson = (x: Ctx, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${x.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
/** A fresh session of the test account (registered on first use). */
async function signIn(x: Ctx): Promise<Record<string, string>> {
  await postJson(x, "/api/auth/register", ACCOUNT);
  const { token } = (await (await postJson(x, "/api/auth/login", ACCOUNT)).json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/**
 * The id of an account for the admin user routes, inserted on first use as test setup (this file signs up
 * often enough to meet the per-address registration limit; these accounts never sign in).
 */
async function adminTarget(_x: Ctx, email = "views-target@example.com"): Promise<number> {
  const db = s.dbh.sqlite;
  db.run("insert or ignore into users (email, lang, created_at) values (?, 'en', ?)", [email, Date.now()]);
  return (db.query("select id from users where email = ?").get(email) as { id: number }).id;
}

/** A tokens order of the test account paid at the fake YooKassa and credited (its webhook settled). */
async function paidOrder(x: Ctx): Promise<string> {
  const made = (await (
    await postJson(x, "/api/payments/create", { plan: "tokens_1" }, await signIn(x))
  ).json()) as {
    order_id: string;
    payment_id: string;
  };
  yk.webhookUrl = `${x.url}/api/payments/webhook`;
  yk.pay(made.payment_id);
  await yk.settled();
  return made.order_id;
}

let presetNo = 0;
/** A new saved preset of the test account (a fresh name each time); its id. */
async function newPreset(x: Ctx, auth: Record<string, string>): Promise<string> {
  const body = { name: `views ${++presetNo}`, settings: { style: "edm", target_lufs: -12 } };
  const res = await postJson(x, "/api/auth/presets", body, auth);
  return ((await res.json()) as { id: string }).id;
}
type SignedInit = RequestInit & { id?: string; headers?: Record<string, string> };
/** Calls `path` as the test account; `init` may create what the call needs (`id` fills `:id`). */
const signedIn =
  (
    path: string,
    init: (x: Ctx, auth: Record<string, string>) => Promise<SignedInit> | SignedInit = () => ({}),
  ) =>
  async (x: Ctx) => {
    const auth = await signIn(x);
    const { id = "", headers, ...rest } = await init(x, auth);
    return fetch(`${x.url}${path.replace(":id", id)}`, { ...rest, headers: { ...auth, ...headers } });
  };
/** A session of a pro account (API keys need a tier that allows them). */
async function proSignIn(x: Ctx): Promise<Record<string, string>> {
  const pro = { email: "views-pro@example.com", password: "views-password" };
  await postJson(x, "/api/auth/register", pro);
  // Test setup: no admin verb sets a tier yet (subscriptions will); the row is the tier's one truth.
  s.dbh.sqlite.run("update users set tier = 'pro' where email = ?", [pro.email]);
  const { token } = (await (await postJson(x, "/api/auth/login", pro)).json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

let albumBatch: Promise<{ album_url: string; zip_url: string }> | null = null;
/** One finished album batch of two tracks (made on first use); its URLs on the test's address. */
function finishedAlbum(x: Ctx): Promise<{ album_url: string; zip_url: string }> {
  albumBatch ??= (async () => {
    const body = await form(
      [
        { field: "files", name: "one.wav", data: x.wav },
        { field: "files", name: "two.wav", data: x.wav },
      ],
      { album: "true" },
    );
    const res = await fetch(`${x.url}/api/v2/batch`, { method: "POST", body });
    const b = (await res.json()) as { album_url: string; zip_url: string; jobs: { id: string }[] };
    for (const j of b.jobs)
      await until(
        "album track done",
        () => s.jobs.get(j.id)?.status,
        (st) => st === "done",
        120_000,
      );
    const local = (u: string) => u.replace("https://master.example.test", x.url);
    return { album_url: local(b.album_url), zip_url: local(b.zip_url) };
  })();
  return albumBatch;
}

/** How the test calls each documented route (a second test proves this covers ROUTES). */
const CALLS: Record<string, (x: Ctx) => Promise<Response>> = {
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
    s.dbh.sqlite.run(
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
    await s.mail.idle(); // the mail is written after the answer
    const token = loggedToken("reset");
    return postJson(x, "/api/auth/reset-password", { token, new_password: ACCOUNT.password });
  },
  "GET /api/auth/verify-email": async (x) => {
    await signIn(x);
    await s.mail.idle();
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
    postJson(x, "/api/auth/presets", { name: `views ${++presetNo}`, settings: {} }, await signIn(x)),
  "GET /api/auth/presets/:id": signedIn("/api/auth/presets/:id", async (x, auth) => ({
    id: await newPreset(x, auth),
  })),
  "PUT /api/auth/presets/:id": signedIn("/api/auth/presets/:id", async (x, auth) => ({
    id: await newPreset(x, auth),
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `views ${++presetNo}`, settings: { format: "mp3", bitrate: 320 } }),
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

/** Mails the service logged instead of sending (no MM_SMTP_URL in this test). */
const logged: { kind: string; text: string }[] = [];
function loggedToken(kind: string): string {
  const mail = logged.filter((m) => m.kind === kind).at(-1);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no logged ${kind} mail with a token`);
  return token;
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
/** Calls answered with an error body on purpose (their success answers are checked elsewhere). */
const EXPECTED_REFUSALS: Record<string, number> = {
  "POST /api/jobs/:id/cancel": 409,
  "POST /api/auth/telegram/link": 400,
  "POST /api/auth/telegram/unlink": 409,
  "POST /api/payments/platega/callback": 401,
  "POST /api/admin/jobs/:id/cancel": 409,
  "POST /api/admin/jobs/:id/retry": 409,
  "POST /api/admin/test-email": 409,
  "POST /api/admin/test-telegram": 409,
};

/** Parses `text` as JSON with the named strict schema; the message names the route and the issue. */
function expectSchema(name: SchemaName, text: string, where: string) {
  const r = (SCHEMAS[name] as z.ZodType).safeParse(JSON.parse(text));
  if (!r.success)
    throw new Error(`${where}: answer does not match ${name}: ${JSON.stringify(r.error.issues)}`);
}

/** Checks one answer against the route's documentation: a documented status, a body of its schema. */
function expectDocumented(r: RouteDoc, g: Got) {
  const where = `${key(r)} → ${g.status}`;
  const answer = r.ok[g.status];
  if (g.status >= 400 && answer === undefined) return expectSchema("Error", g.text, where);
  if (answer === undefined) throw new Error(`${where}: status not documented`);
  if (answer in SCHEMAS) {
    expect(g.type).toContain("application/json");
    expectSchema(answer as SchemaName, g.text, where);
  } else if (answer === "sse") {
    expect(g.type).toContain("text/event-stream");
    expect(g.events.length).toBeGreaterThan(0);
    for (const e of g.events) expectSchema(r.events as SchemaName, e.data, `${where} event ${e.event}`);
  } else if (answer === "text") expect(g.type).toContain("text/plain");
  else if (answer === "csv") expect(g.type).toContain("text/csv");
  else if (answer === "html") expect(g.type).toContain("text/html");
  else if (answer === "css") expect(g.type).toContain("text/css");
  // Admin answers are for the operator, who must see user ids and sign-in addresses; every other answer
  // carries none of them.
  if ((g.type.includes("json") || g.type.includes("event-stream")) && r.access !== "admin")
    expect(g.text).not.toMatch(PRIVATE);
}

let s: RunningService;
let yk: FakeYooKassa;
let dir: string;
let fx: string;
let ctx: Ctx;

beforeAll(async () => {
  fx = await tempDir();
  dir = await tempDir("mm-views-");
  const wav = await makeMusic(fx, { durationS: 1 });
  yk = new FakeYooKassa({ checkoutBase: "https://yoomoney.example" });
  const config = loadConfig({
    PORT: "0",
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_ADMIN_TOKEN: ADMIN,
    // YooKassa through its fake (checkout links on a public host: answers must not carry loopback URLs).
    MM_PUBLIC_URL: "https://master.example.test",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
  });
  s = await startService(
    config,
    createLogger("info", (line) => {
      const rec = JSON.parse(line) as { event: string; kind: string; text: string };
      if (rec.event === "mail_logged") logged.push(rec);
    }),
  );
  // One finished job for the job routes.
  const res = await fetch(`${s.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "take.wav", data: wav }]),
  });
  const b = (await res.json()) as { job_id: string; id: string; token: string };
  ctx = { url: s.url, handle: b.job_id, id: b.id, token: b.token, wav };
  await until(
    "job done",
    () => s.jobs.get(b.id)?.status,
    (st) => st === "done",
    120_000,
  );
});
afterAll(async () => {
  await s.stop();
  await yk.stop();
  await cleanup(dir);
  await cleanup(fx);
});

describe("documented routes", () => {
  it("every registered route is in the OpenAPI table, and every table entry is registered and called here", () => {
    const registered = new Set(
      s
        .routes()
        .filter((r) => r.method !== "ALL")
        .map(key),
    );
    const documented = new Set(ROUTES.map(key));
    expect([...registered].filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !registered.has(k))).toEqual([]);
    expect(Object.keys(CALLS).sort()).toEqual([...documented].sort());
  });

  it("the OpenAPI document lists every route with its answers", async () => {
    const doc = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const r of ROUTES) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, "{$1}")]?.[r.method.toLowerCase()];
      expect(op, key(r)).toBeDefined();
      for (const status of Object.keys(r.ok))
        expect(op?.responses[status], `${key(r)} ${status}`).toBeDefined();
    }
  });

  for (const r of ROUTES)
    it(`${key(r)} answers with its documented schema`, async () => {
      const call = CALLS[key(r)];
      if (!call) throw new Error(`no call for ${key(r)}`);
      const g = await got(await call(ctx));
      expect(g.status).toBeLessThan(500);
      expectDocumented(r, g);
      const refusal = EXPECTED_REFUSALS[key(r)];
      if (refusal) expect(g.status).toBe(refusal);
      else expect(g.status).toBeLessThan(400);
    });

  it("error answers carry code, message and the same message as detail", async () => {
    const cases: [string, RequestInit, number][] = [
      ["/api/jobs/ZZZZZZ", {}, 404],
      [`/api/jobs/${ctx.id}`, {}, 403],
      [`/api/master/status/${ctx.id}.wrong-token-wrong-token`, {}, 403],
      ["/api/v2/master", { method: "POST", body: new FormData() }, 400],
      ["/api/nope", {}, 404],
      ["/api/admin/stats", {}, 404],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`${s.url}${path}`, { ...init, headers: { "accept-language": "ru" } });
      expect(res.status, path).toBe(status);
      const body = (SCHEMAS.Error as z.ZodType<{ error: { message: string }; detail: string }>).parse(
        await res.json(),
      );
      expect(body.detail).toBe(body.error.message);
      expect(body.detail).toMatch(/[а-я]/i);
    }
  });
});

describe("answers of a queued job (no workers)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({}, { start: false, measureWaitMs: 50 });
  });
  afterAll(async () => {
    await h.stop();
    await cleanup(h.dir);
  });

  const route = (k: string) => ROUTES.find((r) => key(r) === k) as RouteDoc;

  it("status, first SSE event, cancel and a pending measure match their schemas", async () => {
    const x = { url: h.url, handle: "", id: "", token: "", wav: ctx.wav };
    const sub = await got(await (CALLS["POST /api/v2/master"] as (x: Ctx) => Promise<Response>)(x));
    expectDocumented(route("POST /api/v2/master"), sub);
    const b = JSON.parse(sub.text) as { job_id: string; id: string; token: string };
    Object.assign(x, { handle: b.job_id, id: b.id, token: b.token });
    expect(b.job_id).toBe(`${b.id}.${b.token}`);

    const st = await got(await fetch(`${h.url}/api/jobs/${b.job_id}`));
    expectDocumented(route("GET /api/jobs/:id"), st);
    expect(JSON.parse(st.text)).toMatchObject({ status: "queued", position: 1 });

    const legacy = await got(await fetch(`${h.url}/api/master/status/${b.job_id}`));
    expectDocumented(route("GET /api/master/status/:id"), legacy);
    expect(JSON.parse(legacy.text)).toMatchObject({ status: "running", progress: 0 });

    // A queued job's stream stays open: read the first event, then hang up.
    const ac = new AbortController();
    const res = await fetch(`${h.url}/api/jobs/${b.job_id}/events`, { signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    expectDocumented(route("GET /api/jobs/:id/events"), {
      status: res.status,
      type: res.headers.get("content-type") ?? "",
      text,
      events: [{ event: "state", data: /^data: (.*)$/m.exec(text)?.[1] ?? "" }],
    });

    const cancel = await got(await fetch(`${h.url}/api/jobs/${b.job_id}/cancel`, { method: "POST" }));
    expect(cancel.status).toBe(200);
    expectDocumented(route("POST /api/jobs/:id/cancel"), cancel);
    expect(JSON.parse(cancel.text).status).toBe("cancelled");

    const measure = await got(await (CALLS["POST /api/measure"] as (x: Ctx) => Promise<Response>)(x));
    expect(measure.status).toBe(202);
    expectDocumented(route("POST /api/measure"), measure);
    const analyze = await got(await (CALLS["POST /api/v2/analyze"] as (x: Ctx) => Promise<Response>)(x));
    expect(analyze.status).toBe(202);
    expectDocumented(route("POST /api/v2/analyze"), analyze);
  });
});
