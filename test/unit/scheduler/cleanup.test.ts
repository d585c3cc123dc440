// The cleanup task on real files and rows: what it deletes, and above all what it must never delete.
import { describe, expect, it } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createSqliteAccountStores } from "../../../src/accounts";
import { schema } from "../../../src/db";
import { BOT_UPDATE_KEEP_MS, TASKS } from "../../../src/scheduler";
import { DAY, fileAged, insertJob, MIN, makeEnv, NOW } from "./helpers";

const cleanup = TASKS.find((t) => t.name === "cleanup")!;
const H = 60 * MIN;

describe("cleanup task", () => {
  it("never deletes an unexpired result or a queued/running job's files, however old", async () => {
    const e = makeEnv();
    const { uploads, results, work } = e.layout;
    const result = fileAged(join(results, "R1.wav"), 10 * DAY);
    insertJob(e.dbh, {
      status: "done",
      resultPath: result,
      expiresAt: NOW.getTime() + H,
      finishedAt: NOW.getTime() - 10 * DAY,
    });
    const queuedInput = fileAged(join(uploads, "q.wav"), 5 * H);
    insertJob(e.dbh, { status: "queued", inputPath: queuedInput });
    const running = insertJob(e.dbh, {
      status: "running",
      inputPath: fileAged(join(uploads, "r.wav"), 5 * H),
    });
    mkdirSync(join(work, running.publicId));
    fileAged(join(work, running.publicId, "pass1.wav"), 5 * H);
    fileAged(join(work, running.publicId), 5 * H);
    // A running job far past retention keeps its row too.
    insertJob(e.dbh, {
      status: "running",
      createdAt: NOW.getTime() - 60 * DAY,
      startedAt: NOW.getTime() - 60 * DAY,
    });

    const counts = await cleanup.run(e.deps());
    expect(counts).toMatchObject({
      results_expired: 0,
      orphan_files_removed: 0,
      work_dirs_removed: 0,
      job_rows_deleted: 0,
    });
    expect(existsSync(result)).toBe(true);
    expect(existsSync(queuedInput)).toBe(true);
    expect(existsSync(join(work, running.publicId, "pass1.wav"))).toBe(true);
  });

  it("deletes expired results and old orphans, keeps young orphans, and reports bytes freed", async () => {
    const e = makeEnv();
    const { uploads, results, work } = e.layout;
    const expiredResult = fileAged(join(results, "E1.wav"), 4 * DAY, "x".repeat(1000));
    const expiredRow = insertJob(e.dbh, {
      status: "done",
      resultPath: expiredResult,
      expiresAt: NOW.getTime() - MIN,
      finishedAt: NOW.getTime() - 3 * DAY,
    });
    const oldOrphan = fileAged(join(uploads, "crash.wav"), 2 * H, "y".repeat(500));
    const youngOrphan = fileAged(join(uploads, "streaming.wav"), 10 * MIN);
    const orphanResult = fileAged(join(results, "gone.wav"), 2 * H, "z".repeat(200));
    mkdirSync(join(work, "DEAD01"));
    fileAged(join(work, "DEAD01", "tmp.wav"), 2 * H, "w".repeat(300));
    fileAged(join(work, "DEAD01"), 2 * H);

    const counts = await cleanup.run(e.deps());
    expect(counts).toMatchObject({
      results_expired: 1,
      result_bytes_freed: 1000,
      orphan_files_removed: 2,
      orphan_bytes_freed: 700,
      work_dirs_removed: 1,
      work_bytes_freed: 300,
      bytes_freed: 2000,
      steps_failed: 0,
    });
    expect(existsSync(expiredResult)).toBe(false);
    expect(existsSync(oldOrphan)).toBe(false);
    expect(existsSync(orphanResult)).toBe(false);
    expect(existsSync(youngOrphan)).toBe(true);
    expect(existsSync(join(work, "DEAD01"))).toBe(false);
    const row = e.dbh.db.select().from(schema.jobs).where(eq(schema.jobs.id, expiredRow.id)).get();
    expect(row?.status).toBe("expired");
  });

  it("deletes finished rows past MM_JOB_RETENTION_DAYS only after folding their day into stats_daily", async () => {
    const e = makeEnv({ MM_JOB_RETENTION_DAYS: "30" });
    const day40 = Date.parse("2026-10-14T10:00:00Z"); // 40 days before NOW
    insertJob(e.dbh, {
      status: "done",
      kind: "master",
      createdAt: day40 - H,
      finishedAt: day40,
      audioDurationS: 120,
      realtimeFactor: 8,
    });
    insertJob(e.dbh, {
      status: "expired",
      kind: "master",
      createdAt: day40 - H,
      finishedAt: day40 + H,
      audioDurationS: 60,
      realtimeFactor: 4,
    });
    insertJob(e.dbh, { status: "failed", createdAt: day40 - H, finishedAt: day40 + 2 * H });
    insertJob(e.dbh, { status: "cancelled", createdAt: day40 - H });
    // Inside retention (29 days): stays.
    const recent = insertJob(e.dbh, {
      status: "failed",
      createdAt: NOW.getTime() - 29 * DAY,
      finishedAt: NOW.getTime() - 29 * DAY,
    });

    const counts = await cleanup.run(e.deps());
    expect(counts).toMatchObject({ job_rows_deleted: 4, days_folded: 1 });
    expect(e.stats.isFolded("2026-10-14")).toBe(true);
    const stats = e.dbh.db
      .select()
      .from(schema.statsDaily)
      .where(eq(schema.statsDaily.date, "2026-10-14"))
      .get();
    expect(stats).toMatchObject({
      jobsDone: 2,
      jobsFailed: 1,
      jobsCancelled: 1,
      audioMinutes: 3,
      meanRealtimeFactor: 6,
    });
    const left = e.dbh.db.select({ id: schema.jobs.id }).from(schema.jobs).all();
    expect(left).toEqual([{ id: recent.id }]);
    // Running it again neither deletes more nor touches the folded row.
    expect(await cleanup.run(e.deps())).toMatchObject({ job_rows_deleted: 0, days_folded: 0 });
  });

  it("keeps a done row past retention while its result is still downloadable (long TTL)", async () => {
    const e = makeEnv();
    const result = fileAged(join(e.layout.results, "LONG.wav"), 40 * DAY);
    insertJob(e.dbh, {
      status: "done",
      resultPath: result,
      finishedAt: NOW.getTime() - 40 * DAY,
      expiresAt: NOW.getTime() + DAY,
    });
    expect(await cleanup.run(e.deps())).toMatchObject({ job_rows_deleted: 0, results_expired: 0 });
    expect(existsSync(result)).toBe(true);
  });

  it("logs a failing step and still runs the next ones", async () => {
    const e = makeEnv();
    const orphan = fileAged(join(e.layout.uploads, "old.wav"), 2 * H);
    const jobs = {
      ...e.jobs,
      expireResults: () => {
        throw new Error("disk on fire");
      },
    };
    const counts = await cleanup.run(e.deps({ jobs }));
    expect(counts.steps_failed).toBe(1);
    expect(counts.orphan_files_removed).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(e.lines.find((l) => l.event === "cleanup_step_failed")).toMatchObject({ step: "expire_results" });
  });

  it("deletes the bot's handled update ids older than two days, keeps the younger ones", async () => {
    const e = makeEnv();
    const updates = createSqliteAccountStores(e.dbh).botUpdates;
    const t = NOW.getTime();
    updates.claim(1, t - BOT_UPDATE_KEEP_MS - MIN);
    updates.claim(2, t - BOT_UPDATE_KEEP_MS + MIN);
    updates.claim(3, t - H);
    const counts = await cleanup.run(e.deps());
    expect(counts.bot_updates_deleted).toBe(1);
    expect([1, 2, 3].map((id) => updates.seen(id))).toEqual([false, true, true]);
  });
});
