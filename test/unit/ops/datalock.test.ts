// The data folder lock in one process: flock locks belong to the open file, so a second open conflicts
// even here, which lets the contract be checked without spawning anything.
import { describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFolderLockedError, LOCK_FILE, lockDataFolder } from "../../../src/ops";

const dir = () => mkdtempSync(join(tmpdir(), "mm-lock-"));

describe("lockDataFolder", () => {
  it("refuses a second holder with the folder and the holder's pid, leaving the file as it was", () => {
    const d = dir();
    const lock = lockDataFolder(d);
    expect(readFileSync(join(d, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    let caught: unknown;
    try {
      lockDataFolder(d);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DataFolderLockedError);
    expect((caught as DataFolderLockedError).pid).toBe(process.pid);
    expect((caught as Error).message).toContain(`data folder ${d} is in use`);
    expect(readFileSync(join(d, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    lock.release();
  });

  it("is free again after release, and a stale pid left in the file does not block", () => {
    const d = dir();
    writeFileSync(join(d, LOCK_FILE), "999999\n"); // a holder that died without cleaning up
    const a = lockDataFolder(d);
    a.release();
    a.release(); // idempotent
    const b = lockDataFolder(d);
    expect(readdirSync(d)).toEqual([LOCK_FILE]);
    b.release();
  });

  it("creates a missing folder (serve on a fresh machine)", () => {
    const d = join(dir(), "nested", "data");
    lockDataFolder(d).release();
    expect(readdirSync(d)).toEqual([LOCK_FILE]);
  });
});
