// Preview vs full master on the same generated 3-min stereo file, same run (issue 3 point 7: the preview
// must be much faster than a full master and sound like it). Prints wall time, the ratio, and how far the
// preview's loudness is from the full master's over the same excerpt.
import { join } from "node:path";
import { configureAudioTools, master, preview } from "../src/audio";
import { cleanup, makeMusic, measure, tempDir } from "../test/fixtures/audio";
import { fmt } from "./lib";

const minutes = Number(process.argv[2] ?? 3);
configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
const dir = await tempDir("mm-bench-preview-");
try {
  const input = await makeMusic(dir, { durationS: minutes * 60 });
  const t0 = performance.now();
  const full = await master(input, join(dir, "full.wav"), { style: "standard", format: "wav24" });
  const tFull = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const pv = await preview(input, join(dir, "preview.wav"), { style: "standard", format: "wav24" });
  const tPreview = (performance.now() - t1) / 1000;
  const m = await measure(join(dir, "preview.wav"));
  // The full master over the same excerpt: trimmed with ffmpeg, measured the same way.
  const cut = join(dir, "full-excerpt.wav");
  const trim = Bun.spawn(
    [
      "ffmpeg",
      "-hide_banner",
      "-nostdin",
      "-y",
      "-ss",
      String(pv.excerpt.start_s),
      "-t",
      String(pv.excerpt.duration_s),
      "-i",
      join(dir, "full.wav"),
      "-c:a",
      "pcm_f32le",
      cut,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  if ((await trim.exited) !== 0) throw new Error("ffmpeg trim failed");
  const fx = await measure(cut);
  console.log(
    `preview: ${minutes} min input — full master ${fmt(tFull, 2)} s (${fmt(full.after.integrated_lufs ?? Number.NaN)} LUFS), ` +
      `30 s preview ${fmt(tPreview, 2)} s (${fmt(m.lufs)} LUFS, TP ${fmt(m.tp)} dBTP, excerpt at ${fmt(pv.excerpt.start_s)} s) → ${fmt(tFull / tPreview, 2)}× faster`,
  );
  console.log(
    `preview vs full master over the same excerpt: preview ${fmt(m.lufs, 2)} LUFS / TP ${fmt(m.tp, 2)}, ` +
      `full ${fmt(fx.lufs, 2)} LUFS / TP ${fmt(fx.tp, 2)} → Δ ${fmt(m.lufs - fx.lufs, 2)} LU ` +
      `(gain: preview ${fmt(pv.final_gain_db, 2)} dB, full ${fmt(full.final_gain_db, 2)} dB; preview attempts ${pv.attempts})`,
  );
} finally {
  await cleanup(dir);
}
