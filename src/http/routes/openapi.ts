// GET /api/openapi.json, generated from one table of every route the service registers (ROUTES) and the
// same zod schemas the answers are built from. A test walks the app's routes and fails on a route missing
// here, and calls each one here and parses its answer with the schema named for its status.
// Each route file keeps its own rows beside its routes (`export const X_DOCS: RouteDoc[]`; the admin
// panel's groups in openapi-admin*.ts); ROUTES spreads them all, so the table stays one.
import { Hono } from "hono";
import { z } from "zod";
import { MasterSettingsSchema } from "../../audio";
import { VERSION } from "../../version";
import { ADMIN_DOCS } from "./admin";
import { ADMIN_PAGE_DOCS } from "./admin-pages";
import { AUTH_DOCS } from "./auth";
import { AUTH_MAIL_DOCS } from "./auth-mail";
import { DoneSchema, MeSchema, OkSchema, RegisterAcceptedSchema, SessionSchema } from "./auth-schemas";
import { BATCH_DOCS } from "./batch";
import { CATALOG_DOCS } from "./catalog";
import { HEALTH_DOCS } from "./health";
import { HISTORY_DOCS } from "./history";
import { JOB_DOCS } from "./jobs";
import { LIMITS_DOCS, LimitsAnswerSchema } from "./limits";
import { MASTER_DOCS } from "./master";
import { MEASURE_DOCS } from "./measure";
import { ADMIN_USER_ROUTES, ADMIN_USER_SCHEMAS } from "./openapi-admin";
import { ADMIN_OPS_ROUTES, ADMIN_OPS_SCHEMAS } from "./openapi-admin-ops";
import { ADMIN_PAYMENT_ROUTES, ADMIN_PAYMENT_SCHEMAS } from "./openapi-admin-payments";
import { KEY_ROUTES, KEY_SCHEMAS } from "./openapi-keys";
import { PAYMENT_DOCS } from "./payments";
import { PLOTS_DOCS } from "./plots";
import { PRESET_DOCS } from "./presets";
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
import { CreatedPaymentSchema, OrderSchema, PlansSchema, WebhookAckSchema } from "./schemas-payments";
import { AlternateSchema, AlternatesSchema, PlotsSchema } from "./schemas-plots";
import { STATUS_PAGE_DOCS } from "./status-page";
import { ACCOUNT_LINK_DOCS } from "./telegram-link";
import { WEB_DOCS } from "./web";

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

export const ROUTES: RouteDoc[] = [
  ...MASTER_DOCS,
  ...BATCH_DOCS,
  ...MEASURE_DOCS,
  ...JOB_DOCS,
  ...PLOTS_DOCS,
  ...CATALOG_DOCS,
  ...HEALTH_DOCS,
  { method: "GET", path: "/api/openapi.json", summary: "This document", ok: { 200: "OpenApi" } },
  ...STATUS_PAGE_DOCS,
  ...WEB_DOCS,
  ...ADMIN_DOCS,
  ...ADMIN_PAGE_DOCS,
  ...AUTH_DOCS,
  ...LIMITS_DOCS,
  ...AUTH_MAIL_DOCS,
  ...PAYMENT_DOCS,
  ...HISTORY_DOCS,
  ...PRESET_DOCS,
  ...ACCOUNT_LINK_DOCS,
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
  if (r.access === "job")
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
