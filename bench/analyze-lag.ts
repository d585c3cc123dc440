// Event-loop lag while analysing a long file: the JS side of analyze() sums piped PCM in bounded chunks on
// the main thread, so this shows whether the HTTP event loop ever stalls (a 10 ms timer's worst delay).
// Usage: bun bench/analyze-lag.ts [minutes=10]
import { analyze, configureAudioTools } from "../src/audio";
import { cleanup, makeMusic, tempDir } from "../test/fixtures/audio";
import { fmt } from "./lib";

const minutes = Number(process.argv[2] ?? 10);
configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
const dir = await tempDir("mm-bench-lag-");
try {
  const file = await makeMusic(dir, { durationS: minutes * 60, rate: 48000 });
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  const t0 = performance.now();
  const a = await analyze(file);
  clearInterval(timer);
  console.log(
    `analyze-lag: ${minutes} min 48 kHz stereo analysed in ${fmt((performance.now() - t0) / 1000, 1)} s (${fmt(a.integrated_lufs ?? Number.NaN)} LUFS); worst event-loop delay ${fmt(worst, 1)} ms`,
  );
} finally {
  await cleanup(dir);
}
