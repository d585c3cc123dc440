// The thread that owns the Postgres connection (Bun.SQL, one reserved connection). The main thread sends
// one request at a time and blocks on a shared counter (client.ts); this side answers each request on the
// port, then bumps the counter and wakes it. The function below is run from its own source text
// (`new Worker(src, { eval: true })`), so it must not close over anything: it is the same in development
// and in the compiled binary, where a worker file on disk would not exist.

/** A request from the main thread. `seq` pairs it with its answer (a timed-out answer is dropped). */
export type PgRequest =
  | { seq: number; op: "query"; sql: string; params: unknown[] }
  | { seq: number; op: "close" };

/** The parts of a Postgres error the main thread maps (SQLSTATE in `sqlState`). */
export type PgErrorInfo = {
  message: string;
  sqlState?: string;
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
};

export type PgAnswer =
  | { seq: number; ok: true; rows: Record<string, unknown>[]; count: number }
  | { seq: number; ok: false; error: PgErrorInfo };

export type PgWorkerData = {
  url: string;
  flag: Int32Array;
  port: import("node:worker_threads").MessagePort;
  connectTimeoutS: number;
};

/** The worker's body. Runs in the worker thread only; keep it self-contained (see the file comment). */
export function pgWorkerMain(): void {
  const { workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  const { url, flag, port, connectTimeoutS } = workerData as PgWorkerData;
  // int8 and numeric arrive as strings; the stores want numbers (ids, unix ms, sums). OIDs 20 and 1700.
  const NUMERIC_OIDS = new Set([20, 1700]);
  const pool = new Bun.SQL(url, { max: 1, connectionTimeout: connectTimeoutS, idleTimeout: 0 });
  let conn: Bun.ReservedSQL | null = null;

  const answer = (a: PgAnswer) => {
    port.postMessage(a);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  const errorInfo = (e: unknown): PgErrorInfo => {
    const o = (e ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return {
      message: e instanceof Error ? e.message : String(e),
      sqlState: str(o.errno),
      code: str(o.code),
      constraint: str(o.constraint),
      detail: str(o.detail),
      table: str(o.table),
    };
  };
  const toNumber = (v: unknown, column: string): unknown => {
    if (typeof v !== "string") return v;
    const n = Number(v);
    if (Number.isInteger(n) && !Number.isSafeInteger(n))
      throw new Error(`postgres: ${column} = ${v} does not fit a JavaScript number exactly`);
    return n;
  };
  const convert = (result: unknown): Record<string, unknown>[] => {
    const rows = [...(result as Record<string, unknown>[])];
    const columns = (result as { columns?: { name: string; type: number }[] }).columns ?? [];
    const numeric = columns.filter((c) => NUMERIC_OIDS.has(c.type)).map((c) => c.name);
    if (numeric.length) for (const r of rows) for (const c of numeric) r[c] = toNumber(r[c], c);
    return rows;
  };

  port.on("message", async (m: PgRequest) => {
    if (m.op === "close") {
      try {
        conn?.release();
        await pool.close({ timeout: 1 });
      } catch {
        // Closing a broken connection has nothing left to do.
      }
      answer({ seq: m.seq, ok: true, rows: [], count: 0 });
      return;
    }
    try {
      conn ??= await pool.reserve();
      const result = await conn.unsafe(m.sql, m.params);
      const count = (result as { count?: number | null }).count ?? 0;
      answer({ seq: m.seq, ok: true, rows: convert(result), count });
    } catch (e) {
      const info = errorInfo(e);
      // A server error leaves the connection usable; anything else (closed, refused) gets a fresh one.
      if (info.code !== "ERR_POSTGRES_SERVER_ERROR") {
        try {
          conn?.release();
        } catch {
          // Already gone.
        }
        conn = null;
      }
      answer({ seq: m.seq, ok: false, error: info });
    }
  });
}
