// notifier.watchJobs against real job services, real ffmpeg and the fake Bot API. Silent WAVs pass upload
// validation but make the engine fail (audio_silent): a burst of them folds into ONE admin message naming
// every task id with its reason, and a job that succeeds in the same burst is not mentioned. A 40 s track
// read in real time (ffmpeg with -re, so it cannot finish in 1 s on any machine) under MM_JOB_TIMEOUT_S=1
// fails with "timeout" and is reported the same way.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { configureAudioTools } from "../../../src/audio";
import { loadConfig } from "../../../src/config";
import { closeDb, openDb, runMigrations } from "../../../src/db";
import { dataLayout, ensureLayout, validateAudio } from "../../../src/files";
import { createJobService, type JobService, type JobView } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { createNotifier, type Notifier } from "../../../src/notify";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, makeSilence, tempDir } from "../../fixtures/audio";
import { slowFfmpeg } from "../../fixtures/slow-ffmpeg";

const CHAT = -100321;
let fake: FakeTelegram;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  for (const s of stops.reverse()) await s();
  await fake.stop();
});

type Rig = {
  jobs: JobService;
  notifier: Notifier;
  dir: string;
  submit(src: string, name: string): Promise<JobView>;
};

/** A job service on its own temp data dir, watched by a notifier that posts to the fake admin chat. */
async function rig(env: Record<string, string>, foldMs: number): Promise<Rig> {
  const dir = await tempDir("mm-notify-");
  const config = loadConfig({
    MM_DATA_DIR: dir,
    MM_WORKERS: "2",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_ADMIN_CHAT_ID: String(CHAT),
    ...env,
  });
  const layout = dataLayout(dir);
  ensureLayout(layout);
  configureAudioTools({ ffmpeg: config.MM_FFMPEG, ffprobe: config.MM_FFPROBE });
  const dbh = openDb(layout.db);
  runMigrations(dbh);
  const jobs = createJobService({ dbh, config, log: silentLogger, layout, pollMs: 100 });
  const notifier = createNotifier({ config, log: silentLogger, foldMs });
  const unwatch = notifier.watchJobs(jobs);
  jobs.start();
  stops.push(async () => {
    unwatch();
    await notifier.stop();
    await jobs.stop(2000);
    closeDb(dbh);
    await cleanup(dir);
  });
  return {
    jobs,
    notifier,
    dir,
    // Copies a generated file into uploads, validates it like the intake does, and queues a master job.
    async submit(src, name) {
      const path = join(layout.uploads, `${crypto.randomUUID()}.wav`);
      copyFileSync(src, path);
      await validateAudio(path, name);
      return jobs.submit({
        ownerKey: "tg:42",
        source: "bot",
        kind: "master",
        inputPath: path,
        inputBytes: statSync(path).size,
        originalName: name,
        settings: { style: "standard", format: "wav24" },
        lang: "en",
      });
    },
  };
}

const adminTexts = () => fake.textsTo(CHAT);

describe("notifier.watchJobs with real job events", () => {
  it("folds a burst of real engine failures into one admin message with ids and reasons; done jobs stay silent", async () => {
    // A fold window far longer than the burst, closed by flush() once every job has ended: how far apart
    // the two failures land on a slow machine cannot split them into two messages.
    const r = await rig({}, 600_000);
    const silence = await makeSilence(r.dir, { durationS: 2 });
    const music = await makeMusic(r.dir, { durationS: 2 });
    const a = await r.submit(silence, "quiet-a.wav");
    const ok = await r.submit(music, "fine.wav");
    const b = await r.submit(silence, "quiet-b.wav");
    const status = () => [a, ok, b].map((j) => r.jobs.get(j.id)?.status);
    await fake.waitFor(() => status().join() === "failed,done,failed", 30_000, "two failures, one done");
    expect(r.jobs.get(a.id)?.error?.code).toBe("audio_silent");

    expect(adminTexts()).toHaveLength(0);
    await r.notifier.flush();
    expect(adminTexts()).toHaveLength(1);
    const msg = adminTexts()[0] ?? "";
    expect(msg).toContain("2 tasks failed");
    expect(msg).toContain(`#${a.id} · audio_silent · quiet-a.wav`);
    expect(msg).toContain(`#${b.id} · audio_silent · quiet-b.wav`);
    expect(msg).not.toContain(ok.id);
  }, 60_000);

  it("reports a job killed by MM_JOB_TIMEOUT_S with its id and 'timeout'", async () => {
    const r = await rig({ MM_JOB_TIMEOUT_S: "1", MM_FFMPEG: slowFfmpeg() }, 200);
    try {
      const before = adminTexts().length;
      const long = await r.submit(await makeMusic(r.dir, { durationS: 40, name: "long.wav" }), "long.wav");
      await fake.waitFor(() => r.jobs.get(long.id)?.status === "failed", 30_000, "timed-out job");
      expect(r.jobs.get(long.id)?.error?.code).toBe("timeout");
      await fake.waitFor(() => adminTexts().length > before, 30_000, "timeout message");
      await r.notifier.flush();
      expect(adminTexts()).toHaveLength(before + 1);
      expect(adminTexts().at(-1)).toContain(`Task failed: #${long.id} · timeout · long.wav`);
    } finally {
      // The tools are process-wide; later tests expect the real-speed ffmpeg.
      configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
    }
  }, 60_000);
});
