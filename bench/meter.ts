// Bench (issue 15 point 9): the JS ebur128 meter (src/audio/meter) vs ffmpeg's `ebur128=peak=true`, in
// the same run on the same generated 3-min stereo 44.1k/24-bit files (quiet pre-master and hot master).
// CPU seconds from /proc (this process + its waited-for ffmpeg children), per audio minute:
//   ffmpeg decode only (anull) · ffmpeg decode + ebur128=peak=true+sample · ffmpeg decode → f32 pipe →
//   discarded in JS · the same pipe → JS meter; the meter's own cost is the difference to its baseline.
// Then analyze() end to end with each meter (meter: "ffmpeg" | "js"). Each figure is the median of --runs.
// Usage: bun bench/meter.ts [--minutes 3] [--runs 3]

import { readFileSync } from "node:fs";
import { analyze } from "../src/audio/analyze";
import { frames100ms } from "../src/audio/frames";
import { Ebur128Meter } from "../src/audio/meter";
import { F32Frames } from "../src/audio/pcm-stats";
import { cleanup, makeMusic, tempDir } from "../test/fixtures/audio";
import { median } from "./lib";

const argv = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const minutes = opt("minutes", 3);
const runs = opt("runs", 3);

/** CPU seconds of this process plus its waited-for children (utime+stime+cutime+cstime), from /proc. */
function cpu(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const n = (i: number) => Number(f[i - 3]) / 100;
  return n(14) + n(15) + n(16) + n(17);
}

/** Decode in 100 ms frames (as every pass of the flow does, frames.ts) through `filter`, output nothing. */
async function ffNull(file: string, filter: string): Promise<string> {
  const af = `${frames100ms(44100)},aformat=sample_fmts=flt,${filter}`;
  const p = Bun.spawn(
    ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", file, "-af", af, "-f", "null", "-"],
    {
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  if (code !== 0) throw new Error(err.slice(-400));
  return err;
}

/** ffmpeg decodes to f32 on a pipe; `meter` folds it (or JS only reassembles frames when null). */
async function piped(file: string, meter: Ebur128Meter | null): Promise<void> {
  const p = Bun.spawn(
    [
      "ffmpeg",
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-i",
      file,
      "-af",
      "asetnsamples=n=4410:p=0,aformat=sample_fmts=flt",
    ].concat(["-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"]),
    { stdout: "pipe", stderr: "ignore" },
  );
  let frames = 0;
  const fold = new F32Frames(2, (x, n) => {
    if (meter) meter.push(x, n);
    else frames += n;
  });
  for await (const chunk of p.stdout) fold.push(chunk);
  if ((await p.exited) !== 0) throw new Error("ffmpeg pipe failed");
  if (meter) meter.summary();
  else if (frames === 0) throw new Error("no samples");
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpu();
    await f();
    samples.push(cpu() - c0);
  }
  return median(samples);
}

const dir = await tempDir("mm-bench-meter-");
try {
  const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`meter bench: ${minutes} min stereo 44.1k/24-bit, median of ${runs}, load ${load()}`);
  for (const loud of [false, true]) {
    const file = await makeMusic(dir, { durationS: minutes * 60, loud, name: `m-${loud}.wav` });
    const per = (s: number) => (s / minutes).toFixed(3);
    const decode = await timed(() => ffNull(file, "anull"));
    const ebur = await timed(() => ffNull(file, "ebur128=peak=true+sample"));
    const pipe = await timed(() => piped(file, null));
    let exact = 0;
    const js = await timed(async () => {
      const m = new Ebur128Meter(2, 44100);
      await piped(file, m);
      exact = m.exactIntervals;
    });
    const anFf = await timed(() => analyze(file, { meter: "ffmpeg" }));
    const anJs = await timed(() => analyze(file, { meter: "js" }));
    const name = loud ? "hot" : "quiet";
    console.log(`${name}: CPU-s per audio minute`);
    console.log(`  ffmpeg decode (anull)             ${per(decode)}`);
    console.log(`  ffmpeg ebur128=peak=true+sample    ${per(ebur)}   meter alone ${per(ebur - decode)}`);
    console.log(`  ffmpeg → f32 pipe → JS (discard)  ${per(pipe)}`);
    console.log(
      `  ffmpeg → f32 pipe → JS meter      ${per(js)}   meter alone ${per(js - pipe)}  (${((100 * exact) / (minutes * 60 * 44100 * 2)).toFixed(2)} % of intervals at 32 taps)`,
    );
    console.log(`  meter alone, JS / ffmpeg: ${((js - pipe) / (ebur - decode)).toFixed(2)}×`);
    console.log(
      `  analyze(): ffmpeg ebur128 ${per(anFf)}, JS meter ${per(anJs)} → ${(anFf - anJs).toFixed(2)} CPU-s less per ${minutes} min`,
    );
  }
  console.log(`load at end ${load()}`);
} finally {
  await cleanup(dir);
}
