// One service per data folder. `serve` and `restore` hold an exclusive flock(2) on <data>/magic-master.lock
// for as long as they run. The kernel drops the lock when the process dies, kill -9 included, so a stale
// file never blocks a restart; a pid file alone cannot tell a live holder from a dead one whose pid was
// reused. The holder writes its pid into the file, for the refusal message only.

import { dlopen, FFIType } from "bun:ffi";
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export const LOCK_FILE = "magic-master.lock";

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;

type Flock = (fd: number, op: number) => number;
let flockFn: Flock | null = null;

/** libc's flock, loaded once. glibc, musl and macOS name their C library differently. */
function flock(): Flock {
  if (flockFn) return flockFn;
  const names =
    process.platform === "darwin"
      ? ["libc.dylib", "/usr/lib/libSystem.B.dylib"]
      : ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];
  for (const name of names) {
    try {
      const lib = dlopen(name, { flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
      const fn = lib.symbols.flock;
      flockFn = (fd, op) => fn(fd, op);
      return flockFn;
    } catch {
      // try the next name
    }
  }
  throw new Error(`cannot load flock from the C library (tried ${names.join(", ")})`);
}

/** Another process holds the folder. `pid` is what the holder wrote (null if unreadable). */
export class DataFolderLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    super(
      `data folder ${dir} is in use by another magic-master (pid ${pid ?? "unknown"}); ` +
        "stop it first or point MM_DATA_DIR at another folder",
    );
    this.name = "DataFolderLockedError";
  }
}

export type DataFolderLock = { path: string; release: () => void };

/**
 * What `serve` holds: the folder lock shared (so `restore`, which takes it exclusively, waits for every
 * node on the folder), plus one exclusive lock per role that must run once per folder — worker (start-up
 * recovery re-queues every running row not its own), bot (one Telegram poller) and scheduler. Two
 * processes with disjoint roles share one SQLite file; a second process with the same role is refused.
 */
export function lockRoles(dir: string, roles: readonly string[]): DataFolderLock {
  const held: DataFolderLock[] = [];
  try {
    held.push(lockDataFolder(dir, { shared: true }));
    for (const role of roles.filter((r) => r !== "api"))
      held.push(lockDataFolder(dir, { file: `magic-master.${role}.lock` }));
  } catch (err) {
    for (const l of held) l.release();
    throw err;
  }
  // Only once every role lock is ours: a node refused for its role must not leave its pid behind, or
  // the refusal messages (a second serve, restore) would name it instead of the live holder.
  const main = held[0]?.path;
  if (main) writeFileSync(main, `${process.pid}\n`);
  return {
    path: held[0]?.path ?? join(dir, LOCK_FILE),
    release: () => {
      for (const l of held) l.release();
    },
  };
}

function holderPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the folder's lock or throws DataFolderLockedError without changing anything in the folder.
 * The descriptor is close-on-exec, so ffmpeg children never inherit the lock.
 */
export function lockDataFolder(dir: string, o: { file?: string; shared?: boolean } = {}): DataFolderLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, o.file ?? LOCK_FILE);
  // "a+" creates the file if needed without truncating it: a refused caller must not erase the holder's pid.
  const fd = openSync(path, "a+");
  if (flock()(fd, (o.shared ? LOCK_SH : LOCK_EX) | LOCK_NB) !== 0) {
    closeSync(fd);
    throw new DataFolderLockedError(dir, holderPid(path));
  }
  // A shared holder's pid is written by lockRoles once all its locks are held.
  if (!o.shared) {
    ftruncateSync(fd, 0);
    writeSync(fd, `${process.pid}\n`);
  }
  let held = true;
  return {
    path,
    // Closing the descriptor releases the lock. The file stays: unlinking it would let a newcomer lock a
    // fresh inode while a late opener still locks the old one.
    release: () => {
      if (!held) return;
      held = false;
      closeSync(fd);
    },
  };
}
