// The running service writes its pid into the data folder, so `restore` can refuse to swap the
// database under it. A stale file (dead pid) is ignored.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NAME = "magic-master.pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function writePidFile(dataDir: string): () => void {
  const path = join(dataDir, NAME);
  writeFileSync(path, String(process.pid));
  return () => {
    try {
      if (readFileSync(path, "utf8").trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
}

export function readPidFile(dataDir: string): { pid: number | null; running: boolean } {
  try {
    const pid = Number(readFileSync(join(dataDir, NAME), "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0) return { pid: null, running: false };
    return { pid, running: pid !== process.pid && alive(pid) };
  } catch {
    return { pid: null, running: false };
  }
}
