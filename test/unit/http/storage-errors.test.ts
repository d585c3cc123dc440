// Storage failures at the HTTP edge, from real errors: SQLITE_FULL (a database capped by max_page_count),
// SQLITE_BUSY (a second connection holding BEGIN IMMEDIATE), ENOSPC (a write to /dev/full). Each answers
// its own status and RU/EN message, never a bare 500, and is handed on so health can report it.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { AppError, storageFault, toAppError } from "../../../src/errors";
import { onError } from "../../../src/http/errors";
import { silentLogger } from "../../../src/log";
import { cleanup, tempDir } from "../../fixtures/audio";

let dir: string;
const real: Record<"full" | "busy" | "enospc", unknown> = { full: null, busy: null, enospc: null };

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

beforeAll(async () => {
  dir = await tempDir("mm-storage-errors-");
  const db = new Database(join(dir, "full.db"));
  db.exec("CREATE TABLE t (x)");
  const pages = (db.query("PRAGMA page_count").get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages}`);
  real.full = caught(() => {
    for (;;) db.exec("INSERT INTO t VALUES (randomblob(4000))");
  });
  db.close();
  const a = new Database(join(dir, "busy.db"));
  a.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x)");
  const b = new Database(join(dir, "busy.db"));
  b.exec("PRAGMA busy_timeout = 10");
  a.exec("BEGIN IMMEDIATE");
  real.busy = caught(() => b.exec("INSERT INTO t VALUES (1)"));
  a.exec("ROLLBACK");
  a.close();
  b.close();
  real.enospc = caught(() => writeFileSync("/dev/full", "x"));
});
afterAll(() => cleanup(dir));

describe("storageFault / toAppError", () => {
  it("classifies real SQLite and filesystem errors, also wrapped as a cause", () => {
    expect(storageFault(real.full)).toBe("full");
    expect(storageFault(real.busy)).toBe("busy");
    expect(storageFault(real.enospc)).toBe("full");
    expect(storageFault(new AppError("internal_error", 500, {}, real.enospc))).toBe("full");
    expect(storageFault(new Error("boom"))).toBeNull();
    expect(toAppError(real.full)).toMatchObject({ code: "insufficient_storage", status: 507 });
    expect(toAppError(real.busy)).toMatchObject({ code: "database_busy", status: 503 });
    // A precise AppError stands; only a generic 500 hiding a storage fault is re-read.
    expect(toAppError(new AppError("file_too_large", 413, {}, real.enospc)).code).toBe("file_too_large");
    expect(toAppError(new Error("boom"))).toMatchObject({ code: "internal_error", status: 500 });
  });
});

describe("onError", () => {
  const noted: unknown[] = [];
  const app = new Hono();
  app.onError(onError(silentLogger, (err) => noted.push(err)));
  app.get("/full", () => {
    throw real.full;
  });
  app.get("/enospc", () => {
    throw new AppError("internal_error", 500, {}, real.enospc);
  });
  app.get("/busy", () => {
    throw real.busy;
  });

  it("answers 507 insufficient_storage in the caller's language for SQLITE_FULL and ENOSPC", async () => {
    for (const path of ["/full", "/enospc"]) {
      const en = await app.request(`${path}?lang=en`);
      expect(en.status).toBe(507);
      const body = (await en.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("insufficient_storage");
      expect(body.error.message).toMatch(/disk space/);
      const ru = (await (await app.request(`${path}?lang=ru`)).json()) as { error: { message: string } };
      expect(ru.error.message).toMatch(/места на диске/);
    }
    // Each storage fault is handed on for health (the app wires it to noteStorageFault).
    expect(noted.length).toBe(4);
  });

  it("answers 503 database_busy with Retry-After for SQLITE_BUSY", async () => {
    const res = await app.request("/busy");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("database_busy");
  });
});
