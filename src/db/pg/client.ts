// A synchronous Postgres client: the stores keep their synchronous interfaces (bun:sqlite blocks too), so
// every caller, transaction and `charge` callback stays as it is. The connection lives in a worker thread
// (worker.ts); a call posts the request, then blocks on a shared counter with Atomics.wait until the
// worker bumps it, and takes the answer with receiveMessageOnPort. About 0.2–0.5 ms per query on loopback.
// One connection, one request at a time: `tx` brackets the calls in between with BEGIN … COMMIT on it.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { PgError, pgErrorOf } from "./errors";
import { type PgAnswer, type PgRequest, type PgWorkerData, pgWorkerMain } from "./worker";

/** What a statement parameter may be (structured-cloned to the worker, bound by Bun.SQL). */
export type PgParam = string | number | boolean | null | undefined | Record<string, unknown> | unknown[];

export type PgOptions = {
  /** How long connecting may take (default 10 s). */
  connectTimeoutMs?: number;
  /** How long one statement may take before the connection is dropped (default 60 s). */
  queryTimeoutMs?: number;
  /** What to name in a connection error (the env variable the URL came from). */
  source?: string;
};

/** The URL without its password, for messages and logs. */
export function safeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

const WORKER_SOURCE = `(${pgWorkerMain.toString()})()`;

type Thread = { worker: Worker; port: MessagePort; flag: Int32Array };

export class PgClient {
  private thread: Thread | null = null;
  private seq = 0;
  private depth = 0;
  /** Set when the connection broke inside a transaction: nothing more may run until it unwinds. */
  private txLost: PgError | null = null;
  private readonly connectTimeoutMs: number;
  private readonly queryTimeoutMs: number;

  private constructor(
    readonly url: string,
    private readonly source: string,
    opts: PgOptions,
  ) {
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.queryTimeoutMs = opts.queryTimeoutMs ?? 60_000;
  }

  /** Connects (blocking) and checks the server answers; throws a PgError naming `source` otherwise. */
  static connect(url: string, opts: PgOptions = {}): PgClient {
    const c = new PgClient(url, opts.source ?? "MM_DATABASE_URL", opts);
    try {
      c.get("SELECT 1 AS ok");
    } catch (err) {
      c.close();
      const reason = err instanceof Error ? err.message : String(err);
      throw new PgError(
        `${c.source}: cannot connect to Postgres at ${safeDatabaseUrl(url)} within ${c.connectTimeoutMs / 1000} s: ${reason}`,
        { code: "PG_CONNECT" },
      );
    }
    return c;
  }

  /** Every row the statement returns. */
  all<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): T[] {
    return this.request(sql, params).rows as T[];
  }

  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.request(sql, params).rows[0] as T | undefined;
  }

  /** Runs a statement; how many rows it changed (or returned). */
  run(sql: string, params: readonly unknown[] = []): number {
    return this.request(sql, params).count;
  }

  /** True inside `tx`. */
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * Runs `fn` in a transaction on the one connection: BEGIN … COMMIT, ROLLBACK when it throws. A nested
   * call is a savepoint, so an inner failure undoes only the inner work when the outer one catches it.
   */
  tx<T>(fn: () => T): T {
    const outer = this.depth === 0;
    const sp = `mm_sp_${this.depth}`;
    this.run(outer ? "BEGIN" : `SAVEPOINT ${sp}`);
    this.depth++;
    let out: T;
    try {
      out = fn();
      if (out instanceof Promise) throw new PgError("postgres: a tx callback must be synchronous");
    } catch (err) {
      this.depth--;
      this.unwind(outer, sp);
      if (outer) this.txLost = null;
      throw err;
    }
    this.depth--;
    try {
      // A failed COMMIT has ended (rolled back) the transaction already.
      this.run(outer ? "COMMIT" : `RELEASE SAVEPOINT ${sp}`);
    } finally {
      if (outer) this.txLost = null;
    }
    return out;
  }

  /** Stops the worker and its connection. The client reconnects if used again. */
  close(): void {
    const t = this.thread;
    if (!t) return;
    try {
      this.exchange(t, { seq: ++this.seq, op: "close" }, 2_000);
    } catch {
      // A worker that cannot answer is terminated all the same.
    }
    this.stop();
  }

  private unwind(outer: boolean, sp: string): void {
    if (this.txLost) return; // the server already rolled back with the lost connection
    try {
      if (outer) this.run("ROLLBACK");
      else {
        this.run(`ROLLBACK TO SAVEPOINT ${sp}`);
        this.run(`RELEASE SAVEPOINT ${sp}`);
      }
    } catch {
      // The original error says more than a failed rollback; a broken connection rolls back anyway.
    }
  }

  private request(
    sql: string,
    params: readonly unknown[],
  ): { rows: Record<string, unknown>[]; count: number } {
    if (this.txLost) throw this.txLost;
    const fresh = this.thread === null;
    const t = this.thread ?? this.start();
    const answer = this.exchange(
      t,
      { seq: ++this.seq, op: "query", sql, params: params.map((p) => (p === undefined ? null : p)) },
      fresh ? this.connectTimeoutMs + this.queryTimeoutMs : this.queryTimeoutMs,
    );
    if (answer.ok) return answer;
    const err = pgErrorOf(answer.error);
    // Not a server error: the connection is gone, and with it any open transaction.
    if (answer.error.code !== "ERR_POSTGRES_SERVER_ERROR" && this.depth > 0)
      this.txLost = new PgError(`postgres: connection lost inside a transaction: ${answer.error.message}`, {
        code: "PG_TX_LOST",
      });
    throw err;
  }

  private start(): Thread {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const data: PgWorkerData = {
      url: this.url,
      flag,
      port: port2,
      connectTimeoutS: Math.max(1, Math.ceil(this.connectTimeoutMs / 1000)),
    };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data, transferList: [port2] });
    // The process may exit without close(): the thread holds nothing that must outlive it.
    worker.unref();
    this.thread = { worker, port: port1, flag };
    return this.thread;
  }

  private stop(): void {
    const t = this.thread;
    this.thread = null;
    if (!t) return;
    t.port.close();
    void t.worker.terminate();
  }

  /** Posts one request and blocks until its answer (stale answers of timed-out requests are dropped). */
  private exchange(t: Thread, req: PgRequest, timeoutMs: number): PgAnswer {
    const deadline = performance.now() + timeoutMs;
    t.port.postMessage(req);
    for (;;) {
      // Read the counter before draining: an answer posted after the drain moves it, so wait returns.
      const seen = Atomics.load(t.flag, 0);
      for (let m = receiveMessageOnPort(t.port); m; m = receiveMessageOnPort(t.port)) {
        const a = m.message as PgAnswer;
        if (a.seq === req.seq) return a;
      }
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(t.flag, 0, seen, left);
    }
    // The statement may still be running: drop the connection so the server ends it (and its transaction).
    this.stop();
    if (this.depth > 0)
      this.txLost = new PgError("postgres: connection dropped inside a transaction after a timeout", {
        code: "PG_TX_LOST",
      });
    throw new PgError(`postgres: no answer within ${timeoutMs} ms; the connection was dropped`, {
      code: "PG_TIMEOUT",
    });
  }
}
