// GET /api/openapi.json: the API description, generated from the same zod schemas the routes validate with.
import { Hono } from "hono";
import { z } from "zod";
import { MasterSettingsSchema } from "../../audio";
import { VERSION } from "../../version";
import { BatchSchema, ErrorSchema, JobViewSchema, MasterFormFields, SubmittedSchema } from "./schemas";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string, description: string) => ({
  description,
  content: { "application/json": { schema: ref(name) } },
});
const errors = Object.fromEntries(
  ["400", "403", "404", "409", "410", "413", "415", "422", "429"].map((s) => [s, body("Error", "Error")]),
);
const idParam = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "Public job id, or ID.TOKEN",
};
const tokenParam = {
  name: "token",
  in: "query",
  required: false,
  schema: { type: "string" },
  description: "Job access token",
};
const upload = (multi: boolean) => ({
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
          ...(json(MasterFormFields).properties as Record<string, unknown>),
        },
      },
    },
  },
});
const jobOp = (summary: string, ok: Record<string, unknown>) => ({
  summary,
  parameters: [idParam, tokenParam],
  responses: { ...ok, ...errors },
});

/** The OpenAPI 3.1 document (built once). */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Magic Master API",
      version: VERSION,
      description: "Upload audio, follow the job, download the master.",
    },
    paths: {
      "/api/v2/master": {
        post: {
          summary: "Master one file",
          requestBody: upload(false),
          responses: { "202": body("Submitted", "Queued"), ...errors },
        },
      },
      "/api/v2/preview": {
        post: {
          summary: "30 s preview",
          requestBody: upload(false),
          responses: { "202": body("Submitted", "Queued"), ...errors },
        },
      },
      "/api/v2/batch": {
        post: {
          summary: "Master up to 10 files",
          requestBody: upload(true),
          responses: { "202": body("Batch", "Queued"), ...errors },
        },
      },
      "/api/measure": {
        post: {
          summary: "Analyse a file (no mastering)",
          requestBody: upload(false),
          responses: {
            "200": { description: "Analysis" },
            "202": body("Submitted", "Still running"),
            ...errors,
          },
        },
      },
      "/api/jobs/{id}": { get: jobOp("Job state", { "200": body("Job", "The job") }) },
      "/api/jobs/{id}/events": {
        get: jobOp("Server-Sent Events: state first, then progress/state until final", {
          "200": { description: "text/event-stream", content: { "text/event-stream": {} } },
        }),
      },
      "/api/jobs/{id}/result": {
        get: jobOp("Download the result (Range supported)", {
          "200": { description: "Audio file" },
          "206": { description: "Partial" },
        }),
      },
      "/api/jobs/{id}/cancel": {
        post: jobOp("Cancel a queued or running job", { "200": body("Job", "Cancelled") }),
      },
      "/api/master/status/{id}": {
        get: jobOp("Alias (original API): status", { "200": { description: "Original status shape + job" } }),
      },
      "/api/master/progress/{id}": {
        get: jobOp("Alias (original API): SSE", { "200": { description: "text/event-stream" } }),
      },
      "/api/master/result/{id}": {
        get: jobOp("Alias (original API): download", { "200": { description: "Audio file" } }),
      },
      "/api/styles": { get: { summary: "Styles", responses: { "200": { description: "Styles" } } } },
      "/api/presets": {
        get: { summary: "Platform presets", responses: { "200": { description: "Presets" } } },
      },
      "/api/formats": {
        get: { summary: "Output formats", responses: { "200": { description: "Formats" } } },
      },
      "/api/v2/chain/default": {
        get: {
          summary: "Default editable settings of a style",
          parameters: [{ name: "style", in: "query", schema: { type: "string" } }],
          responses: { "200": body("MasterSettings", "Settings") },
        },
      },
    },
    components: {
      schemas: {
        MasterSettings: json(MasterSettingsSchema),
        Job: json(JobViewSchema),
        Submitted: json(SubmittedSchema),
        Batch: json(BatchSchema),
        Error: json(ErrorSchema),
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
