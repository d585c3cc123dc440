// GET /api/auth/history/export.csv at the cap (10,000 done jobs of one user, analyses stored as a master
// writes them): median time of the whole export against a JSON page of 100 of the same rows, in the same
// run and service; the ratio per row tells whether the export costs more than paging through the JSON.
// Rows are made done in SQL (this is a bench of the read, not of mastering).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { analysisFixture } from "../test/fixtures/analysis";
import { fmt, median } from "./lib";

const N = Number(process.argv[2] ?? 10_000);
const RUNS = 5;
const s = await startService(
  loadConfig({
    PORT: "0",
    MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")),
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_MAX_QUEUED_PER_OWNER: "10000",
  }),
  silentLogger,
);
s.settings.setMaintenance(true, "bench", "bench"); // the pool claims nothing
const post = (path: string, body: unknown) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const creds = { email: "bench@example.com", password: "bench-password" };
await post("/api/auth/register", creds);
const { token, user } = (await (await post("/api/auth/login", creds)).json()) as {
  token: string;
  user: { id: number };
};
const input = join(s.layout.uploads, "bench.wav");
const a = JSON.stringify(analysisFixture());
// Made done in SQL as they go (the queue cap counts queued jobs only).
const finish = () =>
  s.dbh.sqlite.run(
    "UPDATE jobs SET status = 'done', finished_at = created_at + 1000, analysis_before = ?1, analysis_after = ?1, audio_duration_s = 2, result_path = '/nonexistent', result_name = 'x.flac', expires_at = ?2 WHERE status = 'queued'",
    [a, Date.now() + 86_400_000],
  );
for (let i = 0; i < N; i++) {
  if (i % 1000 === 999) finish();
  writeFileSync(input, "x");
  s.jobs.submit({
    ownerKey: `user:${user.id}`,
    userId: user.id,
    source: "web",
    kind: "master",
    inputPath: input,
    inputBytes: 1,
    originalName: `take ${i}.wav`,
    settings: { style: "edm", format: "flac24" },
    lang: "en",
  });
}
finish();
const headers = { authorization: `Bearer ${token}` };
async function time(path: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(`${s.url}${path}`, { headers });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  return { ms: performance.now() - t0, bytes };
}
await time("/api/auth/history?limit=100"); // warm-up
const pages: number[] = [];
for (let i = 0; i < RUNS; i++) pages.push((await time("/api/auth/history?limit=100")).ms);
const page = median(pages);
const exports: number[] = [];
let bytes = 0;
for (let i = 0; i < RUNS; i++) {
  const r = await time("/api/auth/history/export.csv");
  exports.push(r.ms);
  bytes = r.bytes;
}
const whole = median(exports);
console.log(
  `history export: ${N} rows in ${fmt(whole)} ms (${fmt(bytes / 1024)} KiB); JSON page of 100: ${fmt(page)} ms; per row export/page ratio ${fmt(whole / N / (page / 100), 2)}`,
);
await s.stop();
