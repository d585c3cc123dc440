// A real ffmpeg behind a gate the test opens: every render waits until `open()` and then runs the real
// ffmpeg with the same arguments. A job is thus "running" for exactly as long as the test wants, on any
// machine, without a sleep. `-version` (health's probe) passes straight through.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Gate = {
  /** Path for MM_FFMPEG. */
  ffmpeg: string;
  /** Lets every waiting and future render through. */
  open: () => void;
  /** Renders that reached the gate so far (one line each). */
  arrivals: () => number;
  /** Kills every wrapper still waiting (orphans of a kill -9'd service). */
  killWaiting: () => void;
};

export function gatedFfmpeg(): Gate {
  const real = Bun.which("ffmpeg");
  if (!real) throw new Error("ffmpeg not on PATH");
  const dir = mkdtempSync(join(tmpdir(), "mm-gate-"));
  const script = join(dir, "ffmpeg");
  const pids = join(dir, "pids");
  const opened = join(dir, "open");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      `case " $* " in *" -version "*) exec ${real} "$@";; esac`,
      `echo $$ >> ${pids}`,
      `while [ ! -e ${opened} ]; do sleep 0.05; done`,
      `exec ${real} "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  const waiting = () =>
    existsSync(pids) ? readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : [];
  return {
    ffmpeg: script,
    open: () => writeFileSync(opened, ""),
    arrivals: () => waiting().length,
    killWaiting: () => {
      for (const pid of waiting()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}
