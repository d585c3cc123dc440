// GET /api/openapi.json, generated from one table of every route the service registers (ROUTES) and the
// same zod schemas the answers are built from. A test walks the app's routes and fails on a route missing
// here, and calls each one here and parses its answer with the schema named for its status.
import { Hono } from "hono";
import { z } from "zod";
import {
  ChangePasswordInput,
  ForgotInput,
  LoginInput,
  PresetInput,
  RegisterInput,
  ResetInput,
  TelegramLinkInput,
} from "../../accounts";
import { MAX_REFERENCES, MasterSettingsSchema } from "../../audio";
import { VERSION } from "../../version";
import { DoneSchema, MeSchema, OkSchema, RegisterAcceptedSchema, SessionSchema } from "./auth-schemas";
import { LimitsAnswerSchema } from "./limits";
import { ADMIN_USER_ROUTES, ADMIN_USER_SCHEMAS } from "./openapi-admin";
import { ADMIN_OPS_ROUTES, ADMIN_OPS_SCHEMAS } from "./openapi-admin-ops";
import { ADMIN_PAYMENT_ROUTES, ADMIN_PAYMENT_SCHEMAS } from "./openapi-admin-payments";
import { KEY_ROUTES, KEY_SCHEMAS } from "./openapi-keys";
import {
  AnalysisSchema,
  AnalyzedSchema,
  BatchSchema,
  ErrorSchema,
  JobSchema,
  LegacyStatusSchema,
  MasterFormFields,
  MeasuredSchema,
  PendingSchema,
  SubmittedSchema,
} from "./schemas";
import {
  DeletedSchema,
  HistorySchema,
  LedgerPageSchema,
  PresetListSchema,
  PresetSchema,
} from "./schemas-account";
import { AlbumSchema, BatchProgressSchema } from "./schemas-album";
import {
  AdminStatsSchema,
  ChainSchema,
  FormatsSchema,
  HealthSchema,
  I18nSchema,
  MaintenanceSchema,
  MetricsSchema,
  OpenApiSchema,
  PresetsSchema,
  StylesSchema,
  VersionSchema,
} from "./schemas-info";
import { ReferralLinkSchema, ReferralStatsSchema, TelegramLinkedSchema } from "./schemas-link";
import {
  CreatedPaymentSchema,
  CreatePaymentInput,
  OrderSchema,
  PlansSchema,
  WebhookAckSchema,
} from "./schemas-payments";
import { AlternateSchema, AlternatesSchema, FormatRequest, PlotsSchema } from "./schemas-plots";

/** Every documented answer body, by component name. */
export const SCHEMAS = {
  Error: ErrorSchema,
  Job: JobSchema,
  Analysis: AnalysisSchema,
  Submitted: SubmittedSchema,
  Pending: PendingSchema,
  Batch: BatchSchema,
  Album: AlbumSchema,
  BatchProgress: BatchProgressSchema,
  LegacyStatus: LegacyStatusSchema,
  Measured: MeasuredSchema,
  Analyzed: AnalyzedSchema,
  Styles: StylesSchema,
  Presets: PresetsSchema,
  Formats: FormatsSchema,
  Chain: ChainSchema,
  Version: VersionSchema,
  Health: HealthSchema,
  Metrics: MetricsSchema,
  Maintenance: MaintenanceSchema,
  AdminStats: AdminStatsSchema,
  I18n: I18nSchema,
  OpenApi: OpenApiSchema,
  MasterSettings: MasterSettingsSchema,
  Me: MeSchema,
  Session: SessionSchema,
  RegisterAccepted: RegisterAcceptedSchema,
  Ok: OkSchema,
  Limits: LimitsAnswerSchema,
  Done: DoneSchema,
  Plans: PlansSchema,
  CreatedPayment: CreatedPaymentSchema,
  Order: OrderSchema,
  WebhookAck: WebhookAckSchema,
  History: HistorySchema,
  LedgerPage: LedgerPageSchema,
  Preset: PresetSchema,
  PresetList: PresetListSchema,
  Deleted: DeletedSchema,
  TelegramLinked: TelegramLinkedSchema,
  ReferralLink: ReferralLinkSchema,
  ReferralStats: ReferralStatsSchema,
  Plots: PlotsSchema,
  Alternates: AlternatesSchema,
  Alternate: AlternateSchema,
  ...KEY_SCHEMAS,
  ...ADMIN_USER_SCHEMAS,
  ...ADMIN_OPS_SCHEMAS,
  ...ADMIN_PAYMENT_SCHEMAS,
} satisfies Record<string, z.ZodType>;
export type SchemaName = keyof typeof SCHEMAS;

/** A schema name = a JSON body; otherwise the media kind (SSE events are documented on the route). */
export type Answer = SchemaName | "sse" | "file" | "zip" | "text" | "csv" | "html" | "css" | "redirect";
export type RouteDoc = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Hono syntax (`:id`), as registered. */
  path: string;
  summary: string;
  /** `session`: a sign-in session (Bearer or the mm_session cookie). */
  access?: "job" | "admin" | "session";
  body?: "upload" | "uploads" | "json";
  /** Upload routes that also take up to this many `reference` files (reference matching). */
  references?: number;
  /** The JSON request body's schema (documented as `requestBody`). */
  input?: z.ZodType;
  query?: string[];
  ok: Partial<Record<number, Answer>>;
  /** For `sse`: the schema of each event's `data`. */
  events?: SchemaName;
};

const job = "job" as const;
export const ROUTES: RouteDoc[] = [
  {
    method: "POST",
    path: "/api/v2/master",
    summary: "Master one file (optionally matched to up to 3 `reference` files)",
    body: "upload",
    references: MAX_REFERENCES,
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/master",
    summary: "Master one file (v1 path)",
    body: "upload",
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/v2/preview",
    summary: "30 s preview",
    body: "upload",
    ok: { 202: "Submitted" },
  },
  {
    method: "POST",
    path: "/api/v2/batch",
    summary: "Master up to 10 files (`album=true`: as one album — shared chain, relative loudness kept)",
    body: "uploads",
    ok: { 202: "Batch" },
  },
  {
    method: "GET",
    path: "/api/v2/batch/:id/album",
    summary: "An album batch's report, measured on the delivered files (batch token or the owner)",
    query: ["token"],
    ok: { 200: "Album" },
  },
  {
    method: "GET",
    path: "/api/v2/batch/:id/events",
    summary:
      "Server-Sent Events: `state` with every track's progress, on connect and each change, until all are final",
    query: ["token"],
    ok: { 200: "sse" },
    events: "BatchProgress",
  },
  {
    method: "GET",
    path: "/api/v2/batch/:id/zip",
    summary: "Every finished result of a batch as one streamed ZIP (+ album.json for an album)",
    query: ["token"],
    ok: { 200: "zip" },
  },
  {
    method: "POST",
    path: "/api/measure",
    summary: "Analyse a file (no mastering)",
    body: "upload",
    ok: { 200: "Measured", 202: "Pending" },
  },
  {
    method: "POST",
    path: "/api/v2/analyze",
    summary: "Analyse a file, in the original's answer shape (`extended=true` adds spectrum and timeline)",
    body: "upload",
    ok: { 200: "Analyzed", 202: "Pending" },
  },
  { method: "GET", path: "/api/jobs/:id", summary: "Job state", access: job, ok: { 200: "Job" } },
  {
    method: "GET",
    path: "/api/jobs/:id/events",
    summary: "Server-Sent Events: `state` first, then `progress`/`state` until a final state",
    access: job,
    ok: { 200: "sse" },
    events: "Job",
  },
  {
    method: "GET",
    path: "/api/jobs/:id/result",
    summary: "Download (Range supported)",
    access: job,
    ok: { 200: "file", 206: "file" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/plots",
    summary:
      "A done master's plot data: waveform, short-term loudness and 1/3-octave spectrum of input and result",
    access: job,
    ok: { 200: "Plots" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/before",
    summary:
      "A done master's input as a listening copy (FLAC 16 bit, same level) for the before/after players",
    access: job,
    ok: { 200: "file", 206: "file" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/formats",
    summary: "The formats a done master can be had in, and where each stands",
    access: job,
    ok: { 200: "Alternates" },
  },
  {
    method: "POST",
    path: "/api/jobs/:id/formats",
    summary: "Encode another format of the same master (from a lossless delivery; measured after encoding)",
    access: job,
    body: "json",
    input: FormatRequest,
    ok: { 200: "Alternate", 202: "Alternate" },
  },
  {
    method: "GET",
    path: "/api/jobs/:id/formats/:format",
    summary: "Download another format once encoded (Range supported)",
    access: job,
    ok: { 200: "file", 206: "file" },
  },
  {
    method: "POST",
    path: "/api/jobs/:id/cancel",
    summary: "Cancel a queued or running job",
    access: job,
    ok: { 200: "Job" },
  },
  {
    method: "GET",
    path: "/api/master/status/:id",
    summary: "Original path: status",
    access: job,
    ok: { 200: "LegacyStatus" },
  },
  {
    method: "GET",
    path: "/api/master/progress/:id",
    summary: "Original path: SSE, `data:` only, until done or error",
    access: job,
    ok: { 200: "sse" },
    events: "LegacyStatus",
  },
  {
    method: "GET",
    path: "/api/master/result/:id",
    summary: "Original path: download",
    access: job,
    ok: { 200: "file", 206: "file" },
  },
  { method: "GET", path: "/api/styles", summary: "Styles", ok: { 200: "Styles" } },
  { method: "GET", path: "/api/presets", summary: "Platform presets", ok: { 200: "Presets" } },
  { method: "GET", path: "/api/formats", summary: "Output formats", ok: { 200: "Formats" } },
  {
    method: "GET",
    path: "/api/v2/chain/default",
    summary: "Default editable settings of a style",
    query: ["style"],
    ok: { 200: "Chain" },
  },
  { method: "GET", path: "/api/version", summary: "Version (the original's shape)", ok: { 200: "Version" } },
  { method: "GET", path: "/api/openapi.json", summary: "This document", ok: { 200: "OpenApi" } },
  {
    method: "GET",
    path: "/api/health",
    summary: "Health (503 when degraded)",
    ok: { 200: "Health", 503: "Health" },
  },
  { method: "GET", path: "/api/metrics", summary: "Metrics (JSON)", ok: { 200: "Metrics" } },
  { method: "GET", path: "/metrics", summary: "Metrics (Prometheus text)", ok: { 200: "text" } },
  { method: "GET", path: "/status", summary: "Status page (HTML)", ok: { 200: "html", 503: "html" } },
  { method: "GET", path: "/status.css", summary: "Status page stylesheet", ok: { 200: "css" } },
  { method: "GET", path: "/api/i18n/:lang", summary: "Web texts (ru|en)", ok: { 200: "I18n" } },
  { method: "GET", path: "/favicon.ico", summary: "Redirect to /favicon.svg", ok: { 301: "redirect" } },
  {
    method: "GET",
    path: "/job/:handle",
    summary: "The job page web/job.html (its script reads the handle ID.TOKEN from the URL)",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/:page{[a-z][a-z0-9-]*}",
    summary: "A web page by its clean URL: /pricing serves web/pricing.html (404 when there is none)",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/",
    summary:
      "Web app: the master page; with ?order=<id> (where the payment provider returns the buyer) the pay-return page",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/register",
    summary: "Sign-up (the referral link /register?ref=CODE): the account page",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/api/admin/backup/db",
    summary: "Online database backup",
    access: "admin",
    ok: { 200: "file" },
  },
  {
    method: "GET",
    path: "/api/admin/stats",
    summary: "Live counts, flags, maintenance, daily rows",
    access: "admin",
    query: ["days"],
    ok: { 200: "AdminStats" },
  },
  {
    method: "POST",
    path: "/api/admin/maintenance",
    summary: "Maintenance on/off ({on, message?})",
    access: "admin",
    body: "json",
    ok: { 200: "Maintenance" },
  },
  {
    method: "GET",
    path: "/api/admin/i18n/:lang",
    summary: "The admin panel's texts (webadmin_* keys, ru|en)",
    access: "admin",
    ok: { 200: "I18n" },
  },
  {
    method: "GET",
    path: "/admin",
    summary: "Admin panel: the dashboard page (a redirect to the users page until it exists)",
    access: "admin",
    ok: { 200: "html", 302: "redirect" },
  },
  {
    method: "GET",
    path: "/admin/:name{[a-z][a-z0-9-]*}",
    summary: "Admin panel page web/admin/<name>.html",
    access: "admin",
    ok: { 200: "html" },
  },
  {
    method: "GET",
    path: "/admin/:file{[a-z][a-z0-9-]*\\.(?:js|css|svg)}",
    summary: "Admin panel script or stylesheet (web/admin/)",
    access: "admin",
    ok: { 200: "file" },
  },
  {
    method: "POST",
    path: "/api/auth/register",
    summary:
      "Create an account: the same 202 for a known e-mail (without SMTP a new one is signed in by cookie; with SMTP it gets a confirmation mail)",
    body: "json",
    input: RegisterInput,
    ok: { 202: "RegisterAccepted" },
  },
  {
    method: "POST",
    path: "/api/auth/login",
    summary: "Sign in: the session token in the body and the mm_session cookie",
    body: "json",
    input: LoginInput,
    ok: { 200: "Session" },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    summary: "End this session",
    access: "session",
    ok: { 200: "Ok" },
  },
  {
    method: "GET",
    path: "/api/auth/me",
    summary: "The signed-in user",
    access: "session",
    ok: { 200: "Me" },
  },
  {
    method: "GET",
    path: "/api/limits",
    summary: "The caller's tier (guest by IP, session or API key): used, remaining, when it resets",
    ok: { 200: "Limits" },
  },
  {
    method: "POST",
    path: "/api/auth/change-password",
    summary: "Change the password; every other session of the user ends",
    access: "session",
    body: "json",
    input: ChangePasswordInput,
    ok: { 200: "Ok" },
  },
  {
    method: "POST",
    path: "/api/auth/forgot-password",
    summary: "Mail a reset link (1 h) when the e-mail has an account: the same 202 and body either way",
    body: "json",
    input: ForgotInput,
    ok: { 202: "RegisterAccepted" },
  },
  {
    method: "POST",
    path: "/api/auth/reset-password",
    summary: "Set a new password with a mailed token (single use); every session of the user ends",
    body: "json",
    input: ResetInput,
    ok: { 200: "Done" },
  },
  {
    method: "GET",
    path: "/api/auth/verify-email",
    summary:
      "Confirm the e-mail with the mailed token (24 h, single use); a browser page navigation (Accept: text/html) is redirected (303) to /verify?result=done or /verify?error=<code>",
    query: ["token"],
    ok: { 200: "Done" },
  },
  {
    method: "GET",
    path: "/api/payments/plans",
    summary: "Plans (token packs, tier periods) with prices, and the providers that take payments now",
    ok: { 200: "Plans" },
  },
  {
    method: "POST",
    path: "/api/payments/create",
    summary:
      "Create (or reuse the open) order of a plan and its provider payment: a double click gets the same payment; 503 when payments are off",
    access: "session",
    body: "json",
    input: CreatePaymentInput,
    ok: { 200: "CreatedPayment" },
  },
  {
    method: "GET",
    path: "/api/payments/orders/:id",
    summary: "The caller's order and its state (the return page polls it)",
    access: "session",
    ok: { 200: "Order" },
  },
  {
    method: "POST",
    path: "/api/payments/webhook",
    summary:
      "YooKassa notifications (source IP per MM_YOOKASSA_WEBHOOK_IPS); the object is re-fetched from the API, never believed",
    body: "json",
    ok: { 200: "WebhookAck" },
  },
  {
    method: "POST",
    path: "/api/payments/platega/callback",
    summary:
      "Platega callbacks (X-MerchantId + X-Secret compared in constant time, else 401); the transaction is re-fetched from the API, never believed",
    body: "json",
    ok: { 200: "WebhookAck" },
  },
  {
    method: "GET",
    path: "/api/auth/history",
    summary:
      "The caller's jobs from the jobs table, newest first: loudness before/after, style, format, link",
    access: "session",
    query: ["limit", "cursor"],
    ok: { 200: "History" },
  },
  {
    method: "GET",
    path: "/api/auth/history/export.csv",
    summary:
      "The history as CSV (UTF-8 with BOM, CRLF, English column names = the JSON fields, ≤ 10,000 newest jobs)",
    access: "session",
    ok: { 200: "csv" },
  },
  {
    method: "GET",
    path: "/api/auth/ledger",
    summary: "The caller's token ledger rows, newest first, and the balance",
    access: "session",
    query: ["limit", "cursor"],
    ok: { 200: "LedgerPage" },
  },
  {
    method: "GET",
    path: "/api/auth/presets",
    summary: "Saved chain presets (at most 50)",
    access: "session",
    ok: { 200: "PresetList" },
  },
  {
    method: "POST",
    path: "/api/auth/presets",
    summary: "Save a chain preset ({name, settings}); settings as a master's; 409 at the 51st or a used name",
    access: "session",
    body: "json",
    input: PresetInput,
    ok: { 201: "Preset" },
  },
  {
    method: "GET",
    path: "/api/auth/presets/:id",
    summary: "One saved preset",
    access: "session",
    ok: { 200: "Preset" },
  },
  {
    method: "PUT",
    path: "/api/auth/presets/:id",
    summary: "Replace a preset's name and settings",
    access: "session",
    body: "json",
    input: PresetInput,
    ok: { 200: "Preset" },
  },
  {
    method: "DELETE",
    path: "/api/auth/presets/:id",
    summary: "Delete a preset",
    access: "session",
    ok: { 200: "Deleted" },
  },
  {
    method: "POST",
    path: "/api/auth/telegram/link",
    summary:
      "Link the Telegram user whose /link sent this code: one balance, history and tier (5 wrong codes lock)",
    access: "session",
    body: "json",
    input: TelegramLinkInput,
    ok: { 200: "TelegramLinked" },
  },
  {
    method: "POST",
    path: "/api/auth/telegram/unlink",
    summary: "Detach Telegram (its next message starts a new Telegram-only user)",
    access: "session",
    ok: { 200: "Ok" },
  },
  {
    method: "GET",
    path: "/api/referral/my-link",
    summary: "The caller's referral code and its web and bot links",
    access: "session",
    ok: { 200: "ReferralLink" },
  },
  {
    method: "GET",
    path: "/api/referral/stats",
    summary: "The caller's invitees (no ids) and the bonus sizes",
    access: "session",
    ok: { 200: "ReferralStats" },
  },
  ...KEY_ROUTES,
  ...ADMIN_USER_ROUTES,
  ...ADMIN_OPS_ROUTES,
  ...ADMIN_PAYMENT_ROUTES,
];

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const MEDIA: Record<Exclude<Answer, SchemaName>, string> = {
  sse: "text/event-stream",
  file: "application/octet-stream",
  zip: "application/zip",
  text: "text/plain",
  csv: "text/csv",
  html: "text/html",
  css: "text/css",
  redirect: "text/plain",
};

function answer(a: Answer, events?: SchemaName) {
  if (a in SCHEMAS) return { description: a, content: { "application/json": { schema: ref(a) } } };
  const kind = a as Exclude<Answer, SchemaName>;
  const schema = kind === "sse" && events ? { schema: ref(events) } : {};
  return {
    description: kind === "sse" && events ? `text/event-stream; each event's data is a ${events}` : kind,
    content: { [MEDIA[kind]]: schema },
  };
}

const uploadBody = (multi: boolean, references = 0) => ({
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        required: [multi ? "files" : "file"],
        properties: {
          [multi ? "files" : "file"]: multi
            ? { type: "array", maxItems: 10, items: { type: "string", format: "binary" } }
            : { type: "string", format: "binary" },
          ...(references > 0
            ? {
                reference: {
                  type: "array",
                  maxItems: references,
                  items: { type: "string", format: "binary" },
                  description:
                    "Reference track(s) to match (tone, loudness, width, dynamics); same formats and limits as file",
                },
              }
            : {}),
          ...(z.toJSONSchema(MasterFormFields, { io: "input" }).properties as Record<string, unknown>),
        },
      },
    },
  },
});

function operation(r: RouteDoc) {
  const params: Record<string, unknown>[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
    description:
      m[1] !== "id"
        ? undefined
        : r.path.startsWith("/api/payments/")
          ? "Order id (order_id of POST /api/payments/create)"
          : r.path.startsWith("/api/auth/presets")
            ? "Preset id (p_…)"
            : "Public job id with ?token=, or the handle ID.TOKEN (the 202's job_id)",
  }));
  if (r.access === job)
    params.push({
      name: "token",
      in: "query",
      required: false,
      schema: { type: "string" },
      description: "Job access token",
    });
  for (const q of r.query ?? [])
    params.push({ name: q, in: "query", required: false, schema: { type: "string" } });
  const responses: Record<string, unknown> = {};
  for (const [status, a] of Object.entries(r.ok)) if (a) responses[status] = answer(a, r.events);
  responses.default = answer("Error");
  return {
    summary: r.summary,
    parameters: params,
    ...(r.body === "upload" || r.body === "uploads"
      ? { requestBody: uploadBody(r.body === "uploads", r.references) }
      : {}),
    ...(r.input
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: z.toJSONSchema(r.input, { io: "input" }) } },
          },
        }
      : {}),
    ...(r.access === "admin" ? { security: [{ admin: [] }] } : {}),
    ...(r.access === "session" ? { security: [{ session: [] }, { cookie: [] }] } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document (built once). */
export function openApiDocument(): z.infer<typeof OpenApiSchema> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const p = r.path.replace(/:(\w+)/g, "{$1}");
    paths[p] = { ...paths[p], [r.method.toLowerCase()]: operation(r) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Magic Master API",
      version: VERSION,
      description:
        "Upload audio, follow the job, download the master. Errors: {error:{code,message}, detail}.",
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, json(s)])),
      securitySchemes: {
        admin: { type: "http", scheme: "bearer", description: "MM_ADMIN_TOKEN" },
        session: { type: "http", scheme: "bearer", description: "Session token from /api/auth/login" },
        cookie: { type: "apiKey", in: "cookie", name: "mm_session" },
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "An mm_… key (also as Authorization: Bearer mm_…); works wherever a session does",
        },
      },
    },
  };
}

export function openApiRoutes(): Hono {
  const r = new Hono();
  let doc: ReturnType<typeof openApiDocument> | null = null;
  r.get("/api/openapi.json", (c) => {
    doc = doc ?? openApiDocument();
    return c.json(doc);
  });
  return r;
}
