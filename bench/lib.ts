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

/**
 * CPU seconds the hypervisor gave other guests while this machine wanted to run (/proc/stat steal, all
 * cores): a run that shows steal was measured on a shared host, its ratio is the host's as much as ours.
 */
export function machineStealS(): number {
  const cpu = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (cpu[7] ?? 0) / 100;
}

/** CPU seconds of a process (`self` or a pid) from /proc, with its waited-for children (ffmpeg runs) or not. */
export function processCpuS(pid: number | "self" = "self", children = true): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (children ? [11, 12, 13, 14] : [11, 12]).reduce((s, i) => s + Number(f[i]), 0) / 100;
}

/**
 * How far this machine itself scales from one CPU-bound process to two (the ceiling of any 1 → 2
 * worker ratio here): the same fixed single-threaded ffmpeg filter run (no I/O: a lavfi source into a
 * null sink) alone, then two at once; the throughput ratio 2·t(one) / t(both). On two real cores it is
 * ≈ 2; on two SMT siblings of one core, or vCPUs the host shares, it is lower.
 */
export async function machineScaling(
  seconds = 600,
): Promise<{ one_s: number; two_s: number; ratio: number }> {
  const args = [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-threads",
    "1",
    "-filter_threads",
    "1",
    "-f",
    "lavfi",
    "-i",
    `anoisesrc=d=${seconds}:r=44100:seed=1,aformat=channel_layouts=stereo`,
    "-af",
    "equalizer=f=1000:t=q:w=1:g=3,acompressor,alimiter",
    "-f",
    "null",
    "-",
  ];
  const run = async () => {
    const p = Bun.spawn([process.env.MM_FFMPEG ?? "ffmpeg", ...args], { stdout: "ignore", stderr: "ignore" });
    if ((await p.exited) !== 0) throw new Error("machineScaling: ffmpeg failed");
  };
  const timed = async (f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    return (performance.now() - t0) / 1000;
  };
  const one = await timed(run);
  const two = await timed(() => Promise.all([run(), run()]));
  return { one_s: +one.toFixed(2), two_s: +two.toFixed(2), ratio: +((2 * one) / two).toFixed(2) };
}
