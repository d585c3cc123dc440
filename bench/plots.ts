// Server time to make the result page's plot data of a 10-minute track (waveform, short-term loudness,
// 1/3-octave spectrum: one decode, folded in JS) against a plain decode of the same file to JS in the same
// run, plus the listening copy of the input the job also makes, the JSON size, and the event loop's worst
// stall while the plots fold on the main thread (where HTTP runs). Medians of 3 alternating runs.
// Usage: bun bench/plots.ts [minutes=10]
import { computePlots, configureAudioTools, encodeListeningCopy, probe } from "../src/audio";
import { runFfmpegStream } from "../src/audio/ffmpeg";
import { cleanup, makeMusic, tempDir } from "../test/fixtures/audio";
import { fmt, median } from "./lib";

const minutes = Number(process.argv[2] ?? 10);
configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
const dir = await tempDir("mm-bench-plots-");

/** Wall seconds and this process's CPU seconds (the JS side) of `fn`. */
async function timed<T>(fn: () => Promise<T>): Promise<{ wall: number; js: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, js: (c.user + c.system) / 1e6, value };
}

try {
  const file = await makeMusic(dir, { durationS: minutes * 60 });
  const info = await probe(file);
  const decode = () =>
    runFfmpegStream(["-i", file, "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"], (chunk) => {
      void chunk.length;
    });
  const runs = { decode: [] as number[], plots: [] as number[], js: [] as number[], copy: [] as number[] };
  let bytes = 0;
  let worst = 0;
  for (let i = 0; i < 3; i++) {
    runs.decode.push((await timed(decode)).wall);
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 10);
      last = now;
    }, 10);
    const p = await timed(() => computePlots(file, { info }));
    clearInterval(timer);
    runs.plots.push(p.wall);
    runs.js.push(p.js);
    bytes = JSON.stringify(p.value).length;
    runs.copy.push((await timed(() => encodeListeningCopy(file, `${dir}/before.flac`, { info }))).wall);
  }
  const d = median(runs.decode);
  const p = median(runs.plots);
  console.log(
    `plots: ${minutes} min 44.1 kHz stereo — plot data ${fmt(p, 2)} s wall (${fmt(median(runs.js), 2)} s JS CPU) vs plain decode ${fmt(d, 2)} s: ${fmt(p / d, 1)}× a decode; ${bytes} bytes of JSON per track; worst event-loop delay ${fmt(worst, 1)} ms; listening copy (FLAC 16) ${fmt(median(runs.copy), 2)} s`,
  );
} finally {
  await cleanup(dir);
}
