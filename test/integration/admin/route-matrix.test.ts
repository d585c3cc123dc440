// Issue 14 points 1 and 8: every admin route (every registered /api/admin/* and /admin* route, taken from
// the router itself) × anonymous / signed-in user / a user's API key / admin session / admin's API key /
// MM_ADMIN_TOKEN → the expected status. Non-admins get exactly the answer of an unknown route (status,
// body with the path, header names) and change nothing; a route added without a row here fails the test.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMINS, type AdminFixture, EVERYONE, startAdminFixture, type Who } from "./fixture";

type Sample = { method: string; path: string; body?: unknown };
type Row = { admin: number; sample: (f: AdminFixture, who: Who) => Promise<Sample> | Sample };

let targetNo = 0;
/**
 * A fresh account to act on, so a destructive call of one column does not change another's. Inserted as
 * test setup (sign-up over HTTP is rate limited per address, and these accounts never sign in).
 */
const freshUser = async (f: AdminFixture) =>
  (
    f.s.dbh.sqlite
      .query("insert into users (email, lang, created_at) values (?, 'en', ?) returning id")
      .get(`target-${++targetNo}@example.com`, Date.now()) as { id: number }
  ).id;

/** A pending order of a fresh user (test setup: no provider is configured here). */
const anOrder = async (f: AdminFixture) => {
  const id = crypto.randomUUID();
  f.s.dbh.sqlite.run(
    `insert into orders (id, user_id, plan_key, kind, tokens, amount_minor, currency, provider, status, created_at, updated_at)
     values (?, ?, 'tokens_10', 'tokens', 10, 19900, 'RUB', 'yookassa', 'pending', ?, ?)`,
    [id, await freshUser(f), Date.now(), Date.now()],
  );
  return id;
};

/** One row per admin route: how to call it and what an admin gets. */
const ROWS: Record<string, Row> = {
  "GET /api/admin/backup/db": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/backup/db" }) },
  "GET /api/admin/stats": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/stats" }) },
  "POST /api/admin/maintenance": {
    admin: 200,
    sample: () => ({ method: "POST", path: "/api/admin/maintenance", body: { on: false } }),
  },
  "POST /api/admin/users/:ref/ban": {
    admin: 200,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/users/id:${await freshUser(f)}/ban`,
      body: { reason: "matrix" },
    }),
  },
  "POST /api/admin/users/:ref/unban": {
    admin: 200,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/users/id:${await freshUser(f)}/unban`,
      body: {},
    }),
  },
  "GET /api/admin/users": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/users?q=example" }),
  },
  "GET /api/admin/users/export.csv": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/users/export.csv" }),
  },
  "GET /api/admin/users/:id{[0-9]+}": {
    admin: 200,
    sample: async (f) => ({ method: "GET", path: `/api/admin/users/${await freshUser(f)}` }),
  },
  "POST /api/admin/users/:id{[0-9]+}/tier": {
    admin: 200,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/users/${await freshUser(f)}/tier`,
      body: { tier: "pro", expires_at: Date.now() + 86_400_000, reason: "matrix" },
    }),
  },
  "POST /api/admin/users/:id{[0-9]+}/balance": {
    admin: 200,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/users/${await freshUser(f)}/balance`,
      body: { delta: 3, reason: "matrix", ref: `matrix-${++targetNo}-ref` },
    }),
  },
  "POST /api/admin/users/:id{[0-9]+}/revoke": {
    admin: 200,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/users/${await freshUser(f)}/revoke`,
      body: { sessions: "all", keys: "all", reason: "matrix" },
    }),
  },
  "POST /api/admin/users/:id{[0-9]+}/delete": {
    admin: 200,
    sample: async (f) => {
      const id = await freshUser(f);
      return {
        method: "POST",
        path: `/api/admin/users/${id}/delete`,
        body: { confirm: id, reason: "matrix" },
      };
    },
  },
  "GET /api/admin/payments": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/payments?status=pending" }),
  },
  "GET /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}": {
    admin: 200,
    sample: async (f) => ({ method: "GET", path: `/api/admin/payments/${await anOrder(f)}` }),
  },
  // No provider is configured here: the record shows the provider's part as an error (200), a pending
  // order is not refundable (409) and cannot be reconciled without its provider (503).
  "GET /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/provider": {
    admin: 200,
    sample: async (f) => ({ method: "GET", path: `/api/admin/payments/${await anOrder(f)}/provider` }),
  },
  "POST /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/refund": {
    admin: 409,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/payments/${await anOrder(f)}/refund`,
      body: { reason: "matrix" },
    }),
  },
  "POST /api/admin/payments/:id{[0-9a-fA-F-]{8,64}}/reconcile": {
    admin: 503,
    sample: async (f) => ({
      method: "POST",
      path: `/api/admin/payments/${await anOrder(f)}/reconcile`,
      body: {},
    }),
  },
  // Operations (admin-ops): SSE routes are sampled with ?once=1 (the snapshot, then the stream ends).
  "GET /api/admin/dashboard": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/dashboard" }) },
  "GET /api/admin/dashboard/events": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/dashboard/events?once=1" }),
  },
  "GET /api/admin/jobs": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/jobs" }) },
  "GET /api/admin/jobs/events": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/jobs/events?once=1" }),
  },
  "GET /api/admin/jobs/:id": {
    admin: 404,
    sample: () => ({ method: "GET", path: "/api/admin/jobs/ZZZZZZ" }),
  },
  "POST /api/admin/jobs/:id/cancel": {
    admin: 404,
    sample: () => ({ method: "POST", path: "/api/admin/jobs/ZZZZZZ/cancel", body: {} }),
  },
  "POST /api/admin/jobs/:id/retry": {
    admin: 404,
    sample: () => ({ method: "POST", path: "/api/admin/jobs/ZZZZZZ/retry", body: { charge: false } }),
  },
  "DELETE /api/admin/jobs/:id/result": {
    admin: 404,
    sample: () => ({ method: "DELETE", path: "/api/admin/jobs/ZZZZZZ/result" }),
  },
  "GET /api/admin/settings": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/settings" }) },
  "PUT /api/admin/settings/:key": {
    admin: 200,
    sample: () => ({ method: "PUT", path: "/api/admin/settings/alert_queue", body: { value: null } }),
  },
  "POST /api/admin/flags/:name": {
    admin: 200,
    sample: () => ({ method: "POST", path: "/api/admin/flags/batch", body: { on: true } }),
  },
  "POST /api/admin/test-email": {
    admin: 409,
    sample: () => ({ method: "POST", path: "/api/admin/test-email", body: { to: "ops@example.com" } }),
  },
  "POST /api/admin/test-telegram": {
    admin: 409,
    sample: () => ({ method: "POST", path: "/api/admin/test-telegram", body: {} }),
  },
  "GET /api/admin/tiers": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/tiers" }) },
  "PUT /api/admin/tiers/:name": {
    admin: 200,
    sample: () => ({ method: "PUT", path: "/api/admin/tiers/pro", body: { set: { batch_max: "10" } } }),
  },
  "GET /api/admin/plans": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/plans" }) },
  "PUT /api/admin/plans/:key": {
    admin: 200,
    sample: () => ({
      method: "PUT",
      path: "/api/admin/plans/tokens_1",
      body: { field: "label_en", value: "1 token" },
    }),
  },
  "PATCH /api/admin/plans/:key": {
    admin: 200,
    sample: () => ({
      method: "PATCH",
      path: "/api/admin/plans/tokens_1",
      body: { set: { label_en: "1 token", label_ru: "1 токен" } },
    }),
  },
  "POST /api/admin/plans": {
    admin: 201,
    // A new key per call: every column adds its own plan (a taken key is a 409).
    sample: (_f, who) => ({
      method: "POST",
      path: "/api/admin/plans",
      body: {
        key: `matrix_${who}`,
        kind: "tokens",
        set: { price: "150", tokens: "2", label_ru: "2 токена", label_en: "2 tokens" },
      },
    }),
  },
  "GET /api/admin/backups": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/backups" }) },
  "POST /api/admin/backups": {
    admin: 201,
    sample: () => ({ method: "POST", path: "/api/admin/backups", body: {} }),
  },
  "GET /api/admin/backups/:name": {
    admin: 404,
    sample: () => ({ method: "GET", path: "/api/admin/backups/backup-2020-01-01T00-00-00-000Z-00.db" }),
  },
  "GET /api/admin/audit": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/api/admin/audit?q=maintenance" }),
  },
  "GET /api/admin/i18n/:lang": { admin: 200, sample: () => ({ method: "GET", path: "/api/admin/i18n/ru" }) },
  "GET /admin": { admin: 200, sample: () => ({ method: "GET", path: "/admin" }) },
  "GET /admin/:name{[a-z][a-z0-9-]*}": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/admin/users" }),
  },
  "GET /admin/:file{[a-z][a-z0-9-]*\\.(?:js|css|svg)}": {
    admin: 200,
    sample: () => ({ method: "GET", path: "/admin/admin.js" }),
  },
};

const isAdminPath = (p: string) => p === "/admin" || p.startsWith("/admin/") || p.startsWith("/api/admin");
/** Header names that legitimately differ between two answers (per request or per body length). */
const VARYING = new Set(["date", "content-length", "x-request-id"]);
const headerNames = (res: Response) =>
  [...res.headers.keys()].filter((k) => !VARYING.has(k.toLowerCase())).sort();

let f: AdminFixture;
let routes: { method: string; path: string }[];
beforeAll(async () => {
  f = await startAdminFixture();
  routes = f.s
    .routes()
    .filter((r) => r.method !== "ALL" && isAdminPath(r.path))
    .filter((r, i, all) => all.findIndex((o) => o.method === r.method && o.path === r.path) === i);
});
afterAll(() => f.stop());

describe("admin route matrix", () => {
  test("the router's admin routes are exactly the rows of this table (a new route needs a row)", () => {
    const registered = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(registered.length).toBeGreaterThan(5);
    expect(registered).toEqual(Object.keys(ROWS).sort());
  });

  test("every route × every caller answers its expected status; non-admins get the unknown-route answer", async () => {
    const audits = () =>
      (f.s.dbh.sqlite.query("select count(*) as n from audit_log").get() as { n: number }).n;
    const table: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const row = ROWS[key];
      if (!row) throw new Error(`no row for ${key}`);
      for (const who of EVERYONE) {
        const sample = await row.sample(f, who);
        const before = audits();
        const res = await f.call(who, sample.method, sample.path, sample.body);
        // A backup is binary: its bytes are read (the stream must finish) but not compared.
        const bytes = new Uint8Array(await res.arrayBuffer());
        const text = res.headers.get("content-type")?.includes("sqlite")
          ? ""
          : new TextDecoder().decode(bytes);
        table.push(`${key} ${who} → ${res.status}`);
        if (ADMINS.has(who)) {
          expect(`${key} ${who} → ${res.status}`).toBe(`${key} ${who} → ${row.admin}`);
          continue;
        }
        // The same caller asking for a route that does not exist, under the same kind of path.
        const unknownPath = sample.path.startsWith("/api/") ? "/api/no-such-route" : "/no-such-page";
        const unknown = await f.call(who, sample.method, unknownPath, sample.body);
        const unknownText = await unknown.text();
        const decoded = decodeURIComponent(sample.path.split("?")[0] ?? "");
        expect(`${key} ${who} → ${res.status}`).toBe(`${key} ${who} → 404`);
        expect(text.replaceAll(decoded, unknownPath)).toBe(unknownText);
        expect(headerNames(res)).toEqual(headerNames(unknown));
        expect(audits()).toBe(before);
      }
    }
    expect(table.length).toBe(routes.length * EVERYONE.length);
  });
});

describe("CSRF on admin writes by cookie", () => {
  test("an admin's cookie without Origin, or with a foreign one, changes nothing; with our Origin it works", async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${f.s.url}/api/admin/maintenance`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `mm_session=${f.adminSession}`, ...headers },
        body: JSON.stringify({ on: true }),
      });
    const none = await send({});
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("origin_required");
    const foreign = await send({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("origin_not_allowed");
    expect(f.s.settings.isMaintenance()).toBe(false);
    const ours = await send({ origin: f.s.url });
    expect(ours.status).toBe(200);
    expect(f.s.settings.isMaintenance()).toBe(true);
    await f.call("admin_token", "POST", "/api/admin/maintenance", { on: false });
  });
});

describe("the panel's files are never served by the public static handler", () => {
  test("encoded, dotted or differently spelled paths to web/admin/ are 404 for a guest, the files for an admin", async () => {
    for (const p of [
      "/admin/users.html",
      "/admin/users",
      "/%61dmin/users.html",
      "/admin/./users.html",
      "/lib/../admin/users.js",
      "/admin%2Fusers.html",
      "/admin/",
      "/admin/nested/users.html",
    ]) {
      const guest = await fetch(`${f.s.url}${p}`);
      expect(`${p} ${guest.status}`).toBe(`${p} 404`);
      expect(await guest.text()).not.toContain("<script");
    }
    const admin = await f.call("admin", "GET", "/admin/users");
    expect(admin.status).toBe(200);
    expect(admin.headers.get("content-type")).toContain("text/html");
    expect(admin.headers.get("cache-control")).toBe("no-store");
    expect(await admin.text()).toContain("/admin/users.js");
  });

  test("the public text bundle has no admin texts; the admin one has them in both languages", async () => {
    const pub = (await (await fetch(`${f.s.url}/api/i18n/en`)).json()) as Record<string, string>;
    expect(Object.keys(pub).some((k) => k.startsWith("webadmin_"))).toBe(false);
    for (const lang of ["ru", "en"]) {
      const res = await f.call("admin", "GET", `/api/admin/i18n/${lang}`);
      const texts = (await res.json()) as Record<string, string>;
      expect(texts.webadmin_nav_users).toBe(lang === "ru" ? "Пользователи" : "Users");
      expect(Object.keys(texts).every((k) => k.startsWith("webadmin_"))).toBe(true);
    }
  });
});
