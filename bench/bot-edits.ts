// Progress edits of a bot task message (moved from the test suite, which checks only that the message is
// edited in place): the gaps between edits as the fake Bot API receives them, against the configured edit
// interval as the baseline. A real job renders with real-time ffmpeg (-re) so there is progress to show.
// Goal: the smallest gap ≈ 1.0× the interval (never faster; a little less is delivery jitter).
import { configureAudioTools } from "../src/audio";
import { FakeTelegram } from "../test/fakes/telegram";
import { makeMusic } from "../test/fixtures/audio";
import { slowFfmpeg } from "../test/fixtures/slow-ffmpeg";
import { waitFor } from "../test/fixtures/wait";
import { sendAndChoose, startBot } from "../test/integration/bot/harness";
import { fmt, median } from "./lib";

const INTERVAL_MS = 500;
const h = await startBot({ MM_FFMPEG: slowFfmpeg() }, { progressEditMs: INTERVAL_MS });
try {
  const user = FakeTelegram.user(8101, { lang: "en" });
  const track = await makeMusic(h.dir, { durationS: 4, name: "bench.wav" });
  const msg = await sendAndChoose(h, user, track, {
    fileName: "bench.wav",
    style: "standard",
    format: "mp3",
  });
  await waitFor(() => h.fake.documentsTo(user.id).length > 0, { what: "the result", timeoutMs: 300_000 });
  const at = h.fake
    .callsOf("editMessageText")
    .filter((c) => c.params.message_id === msg.message_id && String(c.params.text).includes("%"))
    .map((c) => c.at);
  const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
  if (gaps.length === 0) throw new Error("fewer than two progress edits");
  const min = Math.min(...gaps);
  console.log(
    `bot-edits: ${at.length} progress edits, smallest gap ${fmt(min, 0)} ms, median ${fmt(median(gaps), 0)} ms; interval ${INTERVAL_MS} ms (baseline); ratio min/interval ${fmt(min / INTERVAL_MS, 2)}×`,
  );
} finally {
  await h.stop();
  configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
}
