// Bench (issue 15 point 9), one run, ratios: a plain master of a generated music-like track; the same
// with a reference (the input with ±6 dB shelves and narrower width) — its cost over the plain master;
// an album of N such tracks at different levels (masterAlbum, one and two tracks at a time) against N
// plain masters. Wall and CPU (ffmpeg children included, /proc/self/stat), peak RSS of this process
// plus its ffmpeg children (sampled from /proc every 100 ms). Accuracy of each on the written files.
// Usage: bun bench/album.ts [--minutes 3] [--tracks 10] [--parallel 1|2|both]

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { master, masterAlbum } from "../src/audio";
import { cleanup, makeMusic, measure, tempDir } from "../test/fixtures/audio";

const argv = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : d;
};

function cpu(): number {
  const s = readFileSync("/proc/self/stat", "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  const n = (i: number) => Number(f[i - 3]) / 100;
  return n(14) + n(15) + n(16) + n(17);
}

/** kB of resident memory of `pid` (0 when it is gone). */
function rssKb(pid: number | "self"): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** This process's RSS plus that of its direct children (the ffmpeg passes), MB. */
function treeRssMb(): number {
  let kb = rssKb("self");
  for (const tid of readdirSync("/proc/self/task")) {
    let kids = "";
    try {
      kids = readFileSync(`/proc/self/task/${tid}/children`, "utf8");
    } catch {
      continue;
    }
    for (const pid of kids.trim().split(/\s+/).filter(Boolean)) kb += rssKb(Number(pid));
  }
  return kb / 1024;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ v: T; wall: number; cpu: number; rss: number }> {
  const c = cpu();
  const t = performance.now();
  let rss = treeRssMb();
  const timer = setInterval(() => {
    rss = Math.max(rss, treeRssMb());
  }, 100);
  try {
    const v = await fn();
    return { v, wall: (performance.now() - t) / 1000, cpu: cpu() - c, rss };
  } finally {
    clearInterval(timer);
  }
}

async function ff(args: string[]): Promise<void> {
  const p = Bun.spawn(["ffmpeg", "-hide_banner", "-nostdin", "-y", ...args], {
    stdout: "ignore",
    stderr: "pipe",
  });
  if ((await p.exited) !== 0) throw new Error(await new Response(p.stderr).text());
}

const minutes = Number(opt("minutes", "3"));
const n = Number(opt("tracks", "10"));
const parallel = opt("parallel", "both");
const dir = await tempDir("mm-bench-album-");
try {
  const dur = minutes * 60;
  const input = await makeMusic(dir, { durationS: dur, name: "track.wav" });
  const ref = join(dir, "ref.wav");
  await ff([
    "-i",
    input,
    "-af",
    "bass=g=6:f=120,treble=g=-6:f=6000,equalizer=f=1500:t=o:w=1:g=3,extrastereo=m=0.6,volume=-2dB",
    "-c:a",
    "pcm_s24le",
    ref,
  ]);
  const row = (name: string, wall: number, c: number, audioS: number, extra = "") =>
    console.log(
      `${name.padEnd(30)} wall ${wall.toFixed(1).padStart(7)} s  CPU ${c.toFixed(1).padStart(7)} s  ${(c / (audioS / 60)).toFixed(2)} CPU-s/audio-min  ${(audioS / wall).toFixed(1)}× rt${extra}`,
    );

  const plain = await timed(() => master(input, join(dir, "plain.wav"), { target_lufs: -14 }));
  const pm = await measure(join(dir, "plain.wav"));
  row(
    "plain master",
    plain.wall,
    plain.cpu,
    dur,
    `  I ${pm.lufs} TP ${pm.tp}  peak RSS ${plain.rss.toFixed(0)} MB`,
  );
  const matched = await timed(() => master(input, join(dir, "matched.wav"), {}, { references: [ref] }));
  const mm = await measure(join(dir, "matched.wav"));
  row(
    "reference match",
    matched.wall,
    matched.cpu,
    dur,
    `  I ${mm.lufs} TP ${mm.tp}  peak RSS ${matched.rss.toFixed(0)} MB`,
  );
  console.log(
    `reference match / plain: wall ${(matched.wall / plain.wall).toFixed(2)}×, CPU ${(matched.cpu / plain.cpu).toFixed(2)}×`,
  );

  // N tracks: the same material at levels 0, −1.5, −3 … dB (album mode must keep them).
  const tracks: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = join(dir, `t${i}.wav`);
    await ff(["-i", input, "-af", `volume=${(-1.5 * i).toFixed(1)}dB`, "-c:a", "pcm_f32le", t]);
    tracks.push(t);
  }
  const modes = parallel === "both" ? [1, 2] : [Number(parallel)];
  for (const k of modes) {
    const outs = tracks.map((_, i) => join(dir, `a${k}-${i}.wav`));
    const album = await timed(() =>
      masterAlbum(tracks, outs, { target_lufs: -14 }, { concurrency: k as 1 | 2 }),
    );
    const ms = await Promise.all(outs.map(measure));
    const rel = ms.map((m, i) => Math.abs(m.lufs - (ms[0] as { lufs: number }).lufs + 1.5 * i));
    row(
      `album ${n}×${minutes} min (${k} at a time)`,
      album.wall,
      album.cpu,
      dur * n,
      `  max rel. error ${Math.max(...rel).toFixed(2)} LU, max TP ${Math.max(...ms.map((m) => m.tp))}, loudest ${ms[0]?.lufs}, peak RSS ${album.rss.toFixed(0)} MB (bun + ffmpeg)`,
    );
    console.log(
      `album (${k} at a time) / ${n} plain masters: wall ${(album.wall / (n * plain.wall)).toFixed(2)}×, CPU ${(album.cpu / (n * plain.cpu)).toFixed(2)}×`,
    );
  }
} finally {
  await cleanup(dir);
}
