// The compiled binary's `serve` on a harness Postgres (MM_DATABASE_URL, an empty database it migrates
// itself) with its files in an S3 bucket (s3rver, MM_STORAGE_URL): an upload over HTTP is mastered end to
// end — the row is in Postgres, the result object in the bucket, the download measured at its target —
// and no SQLite file appears in the data folder. Then the CLI (`admin job`, `cron run sweep`) reads and
// maintains the same Postgres rows. Then the way back: `migrate-to-sqlite` copies that Postgres into a
// new SQLite file, the bucket is synced into a data folder (as `aws s3 sync` would), and `serve` on
// SQLite answers the same job's status and serves its result.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PgClient } from "../../src/db";
import { tempDir as audioDir, cleanup, makeMusic, measure } from "../fixtures/audio";
import { postgresMissing, usePostgres } from "../fixtures/postgres";
import { type S3Server, startS3 } from "../fixtures/s3";
import { waitFor } from "../fixtures/wait";
import { ensureBinary, runBinary, serveBinary, submitAudio, tempDir } from "./lib";

const skip = postgresMissing("the binary's serve on Postgres and S3");
const server = usePostgres(skip);
let s3: S3Server;
let fx: string;
let song: string;
beforeAll(async () => {
  await ensureBinary();
  if (skip) return;
  s3 = await startS3();
  fx = await audioDir("mm-e2e-pg-");
  song = await makeMusic(fx, { durationS: 3 });
}, 300_000);
afterAll(async () => {
  await s3?.stop();
  if (fx) await cleanup(fx);
});

type Status = { status: string; error?: unknown };

describe.skipIf(skip)("magic-master serve on Postgres + S3 (compiled binary)", () => {
  let job = { id: "", statusUrl: "" };
  let env: Record<string, string> = {};
  it("masters a job end to end: row in Postgres, result in the bucket, no SQLite file", async () => {
    const admin = PgClient.connect(server().url());
    admin.run("CREATE DATABASE mm_serve");
    admin.close();
    const data = tempDir();
    env = {
      MM_DATA_DIR: data,
      MM_DATABASE_URL: server().url("mm_serve"),
      ...s3.env("e2e"),
    };
    const s = await serveBinary(env);
    try {
      const ready = s.lines().find((l) => l.event === "db_ready");
      expect(ready).toMatchObject({ backend: "postgres" });
      expect(Number(ready?.migrations_applied)).toBeGreaterThan(0);
      job = await submitAudio(s.url, song);
      let last: Status = { status: "" };
      await waitFor(
        async () => {
          last = (await (await fetch(`${s.url}${job.statusUrl}`)).json()) as Status;
          return last.status === "done" || last.status === "failed";
        },
        { what: "the job to finish", timeoutMs: 240_000, detail: () => last },
      );
      expect(last.status, JSON.stringify(last.error)).toBe("done");
      // The status answer carries no links; the result sits beside the status URL, with the same token.
      const res = await fetch(`${s.url}${job.statusUrl.replace("?", "/result?")}`);
      expect(res.status).toBe(200);
      const out = join(fx, "downloaded.wav");
      await Bun.write(out, res);
      expect(Math.abs((await measure(out)).lufs - -14)).toBeLessThanOrEqual(1);

      const pg = PgClient.connect(server().url("mm_serve"));
      try {
        const row = pg.get<{ status: string }>("SELECT status FROM jobs WHERE public_id = $1", [job.id]);
        expect(row?.status).toBe("done");
        expect((await s3.keys("e2e/results/")).some((k) => k.includes(job.id))).toBe(true);
      } finally {
        pg.close();
      }
      expect(existsSync(join(data, "magic-master.db"))).toBe(false);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }

    // The CLI on the same Postgres: it reads the row the service wrote and runs a maintenance task.
    const shown = await runBinary(["admin", "job", job.id, "--json"], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: "done" });
    const sweep = await runBinary(["cron", "run", "sweep", "--json"], env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(existsSync(join(data, "magic-master.db"))).toBe(false);
  }, 420_000);

  it("goes back to one machine: migrate-to-sqlite, the bucket synced, serve on SQLite serves the result", async () => {
    expect(job.id).not.toBe("");
    const back = tempDir();
    const copied = await runBinary(
      ["migrate-to-sqlite", "--to", join(back, "magic-master.db"), "--json"],
      env,
    );
    expect(copied.code, copied.stderr).toBe(0);
    expect(JSON.parse(copied.stdout)).toMatchObject({ tables: expect.any(Number) });
    // `aws s3 sync s3://bucket/prefix/ data/`: every object under the prefix to the same path.
    for (const key of await s3.keys("e2e/"))
      await Bun.write(join(back, key.slice("e2e/".length)), s3.client.file(key));
    const s = await serveBinary({ MM_DATA_DIR: back });
    try {
      expect(s.lines().find((l) => l.event === "db_ready")).toMatchObject({ backend: "sqlite" });
      const st = (await (await fetch(`${s.url}${job.statusUrl}`)).json()) as Status;
      expect(st.status).toBe("done");
      const res = await fetch(`${s.url}${job.statusUrl.replace("?", "/result?")}`);
      expect(res.status).toBe(200);
      const out = join(fx, "downloaded-back.wav");
      await Bun.write(out, res);
      expect(Math.abs((await measure(out)).lufs - -14)).toBeLessThanOrEqual(1);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
  }, 300_000);
});
