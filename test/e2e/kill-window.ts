// kill -9 of the served binary inside a window it cannot leave on its own: the test holds SQLite's write
// lock (BEGIN IMMEDIATE on its own connection), starts the work, waits for the service to log that it
// reached the point before its write (it then blocks on the lock, busy_timeout), and kills it there —
// however fast or slow the machine is. `check` sees the database as the kill left it; the lock is then
// released (rolled back, nothing of ours written).
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { waitFor } from "../fixtures/wait";
import type { Served } from "./lib";

export async function killInsideWriteLock(
  served: Served,
  dataDir: string,
  o: {
    start: () => void;
    /** The log line that says the service is at the window. */
    reached: (line: Record<string, unknown>) => boolean;
    what: string;
    check: (db: Database) => void | Promise<void>;
  },
): Promise<void> {
  const lock = new Database(join(dataDir, "magic-master.db"));
  lock.exec("PRAGMA busy_timeout = 5000");
  lock.exec("BEGIN IMMEDIATE");
  try {
    o.start();
    await waitFor(() => served.lines().some(o.reached), { what: o.what, timeoutMs: 60_000 });
    served.proc.kill("SIGKILL");
    await served.proc.exited;
    await o.check(lock);
  } finally {
    lock.exec("ROLLBACK");
    lock.close();
  }
}

/** The status of an order, read from the database file. */
export const orderStatus = (db: Database, id: string) =>
  db.query<{ status: string }, [string]>("SELECT status FROM orders WHERE id = ?1").get(id)?.status;
