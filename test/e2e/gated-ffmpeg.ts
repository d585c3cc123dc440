// A real ffmpeg behind a gate the test opens: every render waits until `open()` and then runs the real
// ffmpeg with the same arguments. A job is thus "running" for exactly as long as the test wants, on any
// machine, without a sleep. `-version` (health's probe) passes straight through. While `fail(true)` is in
// force, a render that passes the gate exits 1 with a crash line on stderr instead (a transient ffmpeg
// fault, for an admin's retry).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Gate = {
  /** Path for MM_FFMPEG. */
  ffmpeg: string;
  /** Lets every waiting and future render through. */
  open: () => void;
  /** Stops future renders at the gate again (those already through run on). */
  close: () => void;
  /** Renders that reached the gate so far (one line each). */
  arrivals: () => number;
  /** While on, every render past the gate fails (exit 1, "simulated ffmpeg crash" on stderr). */
  fail: (on: boolean) => void;
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
  const failing = join(dir, "fail");
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      `case " $* " in *" -version "*) exec ${real} "$@";; esac`,
      `echo $$ >> ${pids}`,
      `while [ ! -e ${opened} ]; do sleep 0.05; done`,
      `if [ -e ${failing} ]; then echo "simulated ffmpeg crash" >&2; exit 1; fi`,
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
    close: () => rmSync(opened, { force: true }),
    fail: (on) => (on ? writeFileSync(failing, "") : rmSync(failing, { force: true })),
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
