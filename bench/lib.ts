// Small helpers shared by the benchmarks: percentiles, a bounded HTTP load loop, formatting.

import { readFileSync } from "node:fs";

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Fires GET requests at `url` from `concurrency` loops for `seconds` (bounded); returns requests/s. */
export async function loadTest(
  url: string,
  seconds: number,
  concurrency = 32,
): Promise<{ rps: number; errors: number }> {
  const deadline = performance.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status < 500) ok++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { rps: ok / ((performance.now() - t0) / 1000), errors };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/** Busy CPU seconds of the whole machine, all cores (/proc/stat: every field of the cpu line but idle and iowait). */
export function machineBusyS(): number {
  const cpu = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** CPU seconds of a process (`self` or a pid) from /proc, with its waited-for children (ffmpeg runs) or not. */
export function processCpuS(pid: number | "self" = "self", children = true): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (children ? [11, 12, 13, 14] : [11, 12]).reduce((s, i) => s + Number(f[i]), 0) / 100;
}
