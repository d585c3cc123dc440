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
import { CALLS } from "./public-views-calls";
import { ADMIN, type Ctx, type Got, got, live, logged } from "./public-views-ctx";

const PRIVATE = /owner_key|user_id|bot_chat_id|bot_message_id|access_token|input_path|127\.0\.0\.1/;

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
  Object.assign(live, { s, yk });
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
