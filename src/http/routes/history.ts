// A signed-in user's own records, read on the server: GET /api/auth/history (their jobs from the jobs
// table, by the caller's user id — never anything a client reports), its CSV export, and GET
// /api/auth/ledger (their token ledger). Pages are keyset cursors, opaque to clients.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { Ledger, LedgerRow } from "../../billing";
import { AppError } from "../../errors";
import { errorMessage } from "../../i18n";
import type { HistoryPage, JobService, UserJobsCursor } from "../../jobs";
import { langOf } from "../errors";
import type { CallerEnv } from "../middleware/auth";
import { CSV_BOM, type CsvCell, csvLine } from "./csv";
import type { RouteDoc } from "./openapi";
import { type HistoryItemSchema, HistorySchema, LedgerPageSchema, PageQuery } from "./schemas-account";
import { v } from "./validate";
import { resolvedTarget } from "./views";

export type HistoryRoutesDeps = {
  jobs: JobService;
  publicUrl: string;
  /** Without it /api/auth/ledger is not served. */
  ledger?: Pick<Ledger, "page" | "balance">;
  now?: () => number;
};

/** The CSV holds at most this many jobs, newest first (as the original's export). */
export const CSV_MAX_ROWS = 10_000;
const DEFAULT_LIMIT = 20;

/** The signed-in caller's user id (session or API key); a guest gets 401 session_required. */
export function userIdOf(c: Context<CallerEnv>): number {
  const caller = c.get("caller");
  if (caller?.kind !== "user") throw new AppError("session_required", 401);
  return caller.userId;
}

/** Refuses a guest before anything else is read (a guest's bad body is a 401, not a 400). */
export const requireUser: MiddlewareHandler<CallerEnv> = async (c, next) => {
  userIdOf(c);
  await next();
};

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url").toString("utf8");

function jobsCursor(raw: string | undefined): UserJobsCursor | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{1,15})\.([A-Z0-9]{1,16})$/.exec(unb64(raw));
  if (!m) throw new AppError("invalid_cursor", 400);
  return { createdAt: Number(m[1]), publicId: m[2] as string };
}

function ledgerCursor(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^l(\d{1,15})$/.exec(unb64(raw));
  if (!m) throw new AppError("invalid_cursor", 400);
  return Number(m[1]);
}

type Item = z.infer<typeof HistoryItemSchema>;

function historyItem(
  c: Context,
  d: HistoryRoutesDeps,
  entry: HistoryPage["jobs"][number],
  now: number,
): Item {
  const job = entry.view;
  const { target, style, format } = resolvedTarget(job);
  const lives = job.status === "done" && (job.expires_at === null || job.expires_at > now);
  const token = lives ? entry.token : undefined;
  const base = d.publicUrl.replace(/\/+$/, "");
  return {
    id: job.id,
    status: job.status,
    kind: job.kind,
    source: job.source,
    original_name: job.original_name,
    style,
    format,
    target_lufs: target,
    lufs_before: job.analysis_before?.integrated_lufs ?? null,
    lufs_after: job.analysis_after?.integrated_lufs ?? null,
    true_peak_before: job.analysis_before?.true_peak_dbtp ?? null,
    true_peak_after: job.analysis_after?.true_peak_dbtp ?? null,
    duration_s: job.audio_duration_s ?? job.analysis_before?.duration_s ?? null,
    cost: job.cost,
    error: job.error ? { code: job.error.code, message: errorMessage(langOf(c), job.error.code) } : null,
    created_at: job.created_at,
    finished_at: job.finished_at,
    expires_at: job.expires_at,
    download_url: token ? `${base}/api/jobs/${job.id}/result?token=${encodeURIComponent(token)}` : null,
  };
}

/** Columns of the CSV export: fixed English snake_case names (the JSON field names), whatever the language. */
const CSV_COLUMNS = [
  "id",
  "created_at",
  "finished_at",
  "status",
  "kind",
  "source",
  "original_name",
  "style",
  "format",
  "target_lufs",
  "lufs_before",
  "lufs_after",
  "true_peak_before",
  "true_peak_after",
  "duration_s",
  "cost",
  "error_code",
] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function csvRow(i: Item): CsvCell[] {
  const cells: Record<(typeof CSV_COLUMNS)[number], CsvCell> = {
    ...i,
    created_at: iso(i.created_at),
    finished_at: iso(i.finished_at),
    error_code: i.error?.code ?? null,
  };
  return CSV_COLUMNS.map((k) => cells[k]);
}

const entryView = (r: LedgerRow) => ({
  delta: r.delta,
  reason: r.reason,
  job_id: r.reason === "charge" || r.reason === "refund" ? r.ref : null,
  note: r.note,
  // Which operator (a Telegram id, "cli") is internal: the user sees that it was one.
  by: r.actor === "system" ? ("system" as const) : ("admin" as const),
  created_at: r.createdAt,
});

export function historyRoutes(d: HistoryRoutesDeps) {
  const r = new Hono<CallerEnv>();
  const now = d.now ?? Date.now;
  r.use("/api/auth/history", requireUser);
  r.use("/api/auth/history/*", requireUser);
  r.use("/api/auth/ledger", requireUser);

  r.get("/api/auth/history", v("query", PageQuery), (c) => {
    const userId = userIdOf(c);
    const q = c.req.valid("query");
    const page = d.jobs.historyOf(userId, q.limit ?? DEFAULT_LIMIT, jobsCursor(q.cursor));
    const at = now();
    c.header("Cache-Control", "no-store");
    return c.json(
      HistorySchema.parse({
        total: d.jobs.reports.countsOfUser(userId, null).total,
        items: page.jobs.map((j) => historyItem(c, d, j, at)),
        next_cursor: page.next ? b64(`${page.next.createdAt}.${page.next.publicId}`) : null,
      }),
    );
  });

  r.get("/api/auth/history/export.csv", (c) => {
    const userId = userIdOf(c);
    const at = now();
    let out = CSV_BOM + csvLine(CSV_COLUMNS);
    let after: UserJobsCursor | undefined;
    for (let rows = 0; rows < CSV_MAX_ROWS; ) {
      const page = d.jobs.historyOf(userId, Math.min(500, CSV_MAX_ROWS - rows), after);
      for (const j of page.jobs) out += csvLine(csvRow(historyItem(c, d, j, at)));
      rows += page.jobs.length;
      if (!page.next) break;
      after = page.next;
    }
    c.header("Cache-Control", "no-store");
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="magic-master-history.csv"');
    return c.body(out);
  });

  const ledger = d.ledger;
  if (ledger)
    r.get("/api/auth/ledger", v("query", PageQuery), (c) => {
      const userId = userIdOf(c);
      const q = c.req.valid("query");
      const page = ledger.page(userId, q.limit ?? DEFAULT_LIMIT, ledgerCursor(q.cursor));
      c.header("Cache-Control", "no-store");
      return c.json(
        LedgerPageSchema.parse({
          balance: ledger.balance(userId),
          items: page.rows.map(entryView),
          next_cursor: page.next === null ? null : b64(`l${page.next}`),
        }),
      );
    });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const HISTORY_DOCS: RouteDoc[] = [
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
];
