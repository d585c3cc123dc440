// Leader election on Postgres: exactly one node polls Telegram and one runs the scheduler. Each is a
// session-level advisory lock (`pg_try_advisory_lock`) held on a connection of its own (async Bun.SQL,
// never the stores' synchronous client, whose connection may be dropped and reopened under it). The lock
// lives as long as that session: a holder killed with SIGKILL closes its socket and the server releases
// the lock at once; a holder whose machine vanishes is cut by the TCP keepalives set below. The others
// try again every `retryMs`, so one of them takes over within a few seconds.
// The holder checks every tick that its session still holds the lock (pg_locks): a connection that broke
// and was reopened holds nothing, and the role stops rather than run twice.

import type { Logger } from "../../log";

/** Advisory lock keys (two-int form, its own key space): "MM" and one number per leader role. */
const LOCK_NS = 0x4d4d;
export const LEADER_KEYS = { bot: 1, scheduler: 2 } as const;
export type LeaderRole = keyof typeof LEADER_KEYS;

export type LeaderSpec = {
  role: LeaderRole;
  /** Runs when this node takes the lock (start polling, start the crons). */
  acquire: () => unknown;
  /** Runs when it lost the lock or stops (stop polling, stop the crons). */
  release: () => unknown;
};

export type Leaders = {
  /** The roles this node leads now. */
  held(): LeaderRole[];
  /** Releases every lock (running `release` first) and closes the connection. */
  stop(): Promise<void>;
};

export type LeaderOptions = {
  url: string;
  specs: readonly LeaderSpec[];
  log: Logger;
  /** How often a node that does not lead tries again, and a leader checks it still does (default 3 s). */
  retryMs?: number;
  /** A statement slower than this counts as a lost connection (default 5 s). */
  queryTimeoutMs?: number;
  /** Called after the set of held roles changed (the node's row says which it leads). */
  onChange?: (held: LeaderRole[]) => void;
};

/**
 * Server-side TCP keepalives: a session whose client machine died without closing the socket is ended
 * (and its locks released) after about 5 + 3 × 3 = 14 s, well inside the 30 s takeover.
 */
const SESSION = {
  application_name: "magic-master-leader",
  tcp_keepalives_idle: "5",
  tcp_keepalives_interval: "3",
  tcp_keepalives_count: "3",
  idle_session_timeout: "0",
};

export function startLeaders(o: LeaderOptions): Leaders {
  const retryMs = o.retryMs ?? 3000;
  const queryTimeoutMs = o.queryTimeoutMs ?? 5000;
  const held = new Set<LeaderRole>();
  let sql: Bun.SQL | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const client = () => {
    sql ??= new Bun.SQL(o.url, { max: 1, idleTimeout: 0, connectionTimeout: 10, connection: SESSION });
    return sql;
  };
  const drop = () => {
    const s = sql;
    sql = null;
    void s?.close({ timeout: 0 }).catch(() => undefined);
  };
  const timed = async <T>(p: Promise<T>): Promise<T> => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(`no answer within ${queryTimeoutMs} ms`)), queryTimeoutMs);
    });
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(t);
    }
  };
  const changed = () => o.onChange?.([...held]);

  const gain = async (s: LeaderSpec) => {
    held.add(s.role);
    o.log.info("leader_acquired", s.role, { role: s.role });
    changed();
    try {
      await s.acquire();
    } catch (err) {
      o.log.error("leader_start_failed", String(err), { role: s.role, error: String(err) });
    }
  };
  const lose = async (s: LeaderSpec, why: string) => {
    held.delete(s.role);
    o.log.warn("leader_lost", s.role, { role: s.role, reason: why });
    changed();
    try {
      await s.release();
    } catch (err) {
      o.log.error("leader_stop_failed", String(err), { role: s.role, error: String(err) });
    }
  };

  async function tick(): Promise<void> {
    try {
      const db = client();
      const rows = await timed(
        db.unsafe(
          `SELECT objid::int AS k FROM pg_locks
           WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = $1 AND objsubid = 2 AND granted`,
          [LOCK_NS],
        ) as Promise<{ k: number }[]>,
      );
      const mine = new Set(rows.map((r) => Number(r.k)));
      for (const s of o.specs) {
        if (stopped) return;
        const key = LEADER_KEYS[s.role];
        if (held.has(s.role)) {
          if (!mine.has(key)) await lose(s, "session_lost");
          continue;
        }
        const [r] = (await timed(
          db.unsafe("SELECT pg_try_advisory_lock($1::int, $2::int) AS ok", [LOCK_NS, key]),
        )) as { ok: boolean }[];
        if (r?.ok && !stopped) await gain(s);
      }
    } catch (err) {
      // Broken or too slow: whatever this session held may already be someone else's.
      o.log.warn("leader_check_failed", String(err), { error: String(err), retry_in_ms: retryMs });
      drop();
      for (const s of o.specs) if (held.has(s.role)) await lose(s, "connection_failed");
    }
  }

  const loop = () => {
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, retryMs);
    });
  };
  loop();

  return {
    held: () => [...held],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const s of o.specs) if (held.has(s.role)) await lose(s, "stopping");
      const s = sql;
      sql = null;
      // Closing the session releases its locks; unlock first so a slow close does not delay the next leader.
      await s
        ?.unsafe("SELECT pg_advisory_unlock_all()")
        .catch(() => undefined)
        .then(() => s.close({ timeout: 1 }))
        .catch(() => undefined);
    },
  };
}
