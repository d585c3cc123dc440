// Smoke checks an operator runs after a deploy: the running service answers health and metrics,
// the database and data folder are writable, and ffmpeg can render a tiny lavfi signal. On Postgres the
// database checks are a rolled-back write transaction, the server's version and the migrations at head.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Backend, backendSchemaState, describeBackend, type PgClient } from "../db";

export type SmokeResult = { name: string; ok: boolean; detail: string };
export type SmokeCheck = { name: string; run: () => Promise<string> };

async function fetchJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`HTTP ${res.status}, not JSON: ${text.slice(0, 80)}`);
  }
}

export function httpChecks(baseUrl: string, timeoutMs = 5000): SmokeCheck[] {
  const base = baseUrl.replace(/\/+$/, "");
  return [
    {
      name: "health",
      run: async () => {
        const { status, body } = await fetchJson(`${base}/api/health`, timeoutMs);
        const h = body as { status?: string; problems?: string[] };
        if (status !== 200)
          throw new Error(`HTTP ${status} status=${h.status} problems=${(h.problems ?? []).join(",")}`);
        return `HTTP 200 status=${h.status}`;
      },
    },
    {
      name: "metrics",
      run: async () => {
        const { status, body } = await fetchJson(`${base}/api/metrics`, timeoutMs);
        if (status !== 200 || typeof (body as { uptime_seconds?: unknown }).uptime_seconds !== "number")
          throw new Error(`HTTP ${status}, no uptime_seconds`);
        return `HTTP 200 uptime=${(body as { uptime_seconds: number }).uptime_seconds}s`;
      },
    },
  ];
}

/** Thrown inside the probe transaction to roll it back: the probe's write must leave nothing behind. */
class ProbeDone extends Error {}

/** A real write (a settings row no code reads) in a transaction that is then rolled back. */
function pgWriteProbe(pg: PgClient): string {
  try {
    pg.tx(() => {
      pg.run(
        `INSERT INTO settings (key, value, updated_at) VALUES ('smoke:probe', 'true', 0)
         ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at`,
      );
      throw new ProbeDone();
    });
  } catch (err) {
    if (!(err instanceof ProbeDone)) throw err;
  }
  return "write transaction ok (rolled back)";
}

/** The database's checks: SQLite's write lock and journal mode, or Postgres's write, version, migrations. */
export function databaseChecks(b: Backend): SmokeCheck[] {
  if (b.kind === "sqlite") {
    const { dbh } = b;
    return [
      {
        name: "database writable",
        run: async () => {
          // Taking the write lock and rolling back proves writability without changing anything.
          dbh.sqlite.exec("BEGIN IMMEDIATE");
          dbh.sqlite.exec("ROLLBACK");
          const mode = dbh.sqlite.query("PRAGMA journal_mode").get() as { journal_mode: string };
          return `write lock ok, journal_mode=${mode.journal_mode}`;
        },
      },
    ];
  }
  const { pg } = b;
  return [
    { name: "database writable", run: async () => pgWriteProbe(pg) },
    {
      name: "database server",
      run: async () => {
        const v = pg.get<{ v: string }>("SELECT current_setting('server_version') AS v")?.v ?? "?";
        return `PostgreSQL ${v} at ${describeBackend(b)}`;
      },
    },
    {
      name: "database migrations",
      run: async () => {
        const s = backendSchemaState(b);
        const counts = `${s.applied} applied, ${s.known} known`;
        if (s.latestApplied === s.latestKnown) return `at head (${counts})`;
        if (s.latestApplied !== null && s.latestApplied > s.latestKnown)
          throw new Error(`the database is newer than this build (${counts}); upgrade the binary`);
        throw new Error(`behind head (${counts}); run magic-master migrate`);
      },
    },
  ];
}

export function localChecks(b: Backend, dataDir: string, renderTone: () => Promise<void>): SmokeCheck[] {
  return [
    ...databaseChecks(b),
    {
      name: "data dir writable",
      run: async () => {
        mkdirSync(dataDir, { recursive: true });
        const probe = join(dataDir, `.smoke-${process.pid}-${Date.now()}`);
        writeFileSync(probe, "ok");
        rmSync(probe);
        return dataDir;
      },
    },
    {
      name: "ffmpeg render",
      run: async () => {
        const t0 = performance.now();
        await renderTone();
        return `lavfi sine rendered in ${Math.round(performance.now() - t0)} ms`;
      },
    },
  ];
}

/** Runs every check (none stops the others) and returns one row each. */
export async function runSmoke(checks: SmokeCheck[]): Promise<SmokeResult[]> {
  const out: SmokeResult[] = [];
  for (const c of checks) {
    try {
      out.push({ name: c.name, ok: true, detail: await c.run() });
    } catch (err) {
      out.push({ name: c.name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export function formatSmokeTable(rows: SmokeResult[]): string {
  const w = Math.max(...rows.map((r) => r.name.length), 5);
  return rows.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(w)}  ${r.detail}`).join("\n");
}
