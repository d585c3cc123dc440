// A set of uploads (a batch, an album, the bot's group) submitted through submitAll with the real ledger,
// on SQLite and on Postgres: all rows and their charges commit in one transaction or not at all. A fault on
// the second insert (a trigger refusing that row), a refused second charge, or a set over the queue cap
// leaves no job, no charge (balance and ledger as before) and no upload; a replay of the same bot update
// afterwards (same keys) queues every track exactly once. On a bucket, the refused set's objects go too.

import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "../../../src/db";
import { createFileStore } from "../../../src/files";
import { createJobService, type JobService, submitAll } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { type S3Server, startS3 } from "../../fixtures/s3";
import { type LedgerWorld, ledgerBackends, ledgerRowsOf, ledgerWorld, masterRequest } from "./fixture";

const backends = ledgerBackends("the ledger's batch charges");

/** A trigger that fails the insert of the job named `name` (the fault injected into one row of a set). */
function failInsertOf(b: Backend, name: string): () => void {
  if (b.kind === "sqlite") {
    b.dbh.sqlite.run(`CREATE TRIGGER jobs_fault BEFORE INSERT ON jobs WHEN NEW.original_name = '${name}'
      BEGIN SELECT RAISE(ABORT, 'injected insert fault'); END`);
    return () => b.dbh.sqlite.run("DROP TRIGGER jobs_fault");
  }
  b.pg.run(`CREATE FUNCTION jobs_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.original_name = '${name}' THEN RAISE EXCEPTION 'injected insert fault'; END IF; RETURN NEW; END $$`);
  b.pg.run("CREATE TRIGGER jobs_fault BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_fault()");
  return () => void b.pg.run("DROP TRIGGER jobs_fault ON jobs");
}

const NAMES = ["a.wav", "b.wav", "c.wav"];

/** Three fresh upload files in `dir`, named after NAMES. */
let round = 0;
const uploadsIn = (dir: string) =>
  NAMES.map((name) => {
    const path = join(dir, `${++round}-${name}`);
    writeFileSync(path, "RIFF");
    return { path, name };
  });

for (const b of backends)
  describe.skipIf(b.skip)(`batch submits all or nothing on ${b.name}`, () => {
    let w: LedgerWorld;
    afterEach(() => w?.close());

    /** A pro user with `tokens`, a service, and three fresh upload files in the uploads folder. */
    const setUp = (tokens: number, env: Record<string, string> = {}) => {
      w = ledgerWorld({ backend: b.open() });
      const u = w.user(1, "pro");
      if (tokens > 0) w.ledger.credit(u, tokens, { note: "top-up", actor: "cli" });
      return { u, jobs: w.jobs({ env }) };
    };
    const uploads = () => uploadsIn(w.layout.uploads);
    const send = (jobs: JobService, u: number, files: { path: string; name: string }[], keys = "") =>
      submitAll(jobs, files, (f, i) => ({
        ...masterRequest(u, f.name),
        inputPath: f.path,
        batchId: "b1",
        ...(keys ? { botUpdateKey: `${keys}:${i}` } : {}),
      }));
    const jobCount = () => Number(w.rows<{ n: number }>("SELECT count(*) AS n FROM jobs")[0]?.n);
    const charges = () => ledgerRowsOf(w).filter((r) => r.reason === "charge");

    it("queues a set of 3 with 3 charges", async () => {
      const { u, jobs } = setUp(5);
      const files = uploads();
      const got = await send(jobs, u, files);
      expect(got.map((j) => [j.status, j.original_name])).toEqual(NAMES.map((n) => ["queued", n]));
      expect(jobCount()).toBe(3);
      expect(charges().map((r) => [r.ref, r.delta])).toEqual(got.map((j) => [j.id, -1]));
      expect(w.ledger.balance(u)).toBe(2);
      expect(files.every((f) => existsSync(f.path))).toBe(true);
    });

    it("a fault on the second insert leaves no job, no charge and no upload", async () => {
      const { u, jobs } = setUp(5);
      const before = ledgerRowsOf(w);
      failInsertOf(w.backend, "b.wav");
      const files = uploads();
      await expect(send(jobs, u, files)).rejects.toThrow("injected insert fault");
      expect(jobCount()).toBe(0);
      expect(ledgerRowsOf(w)).toEqual(before);
      expect(w.ledger.balance(u)).toBe(5);
      expect(files.filter((f) => existsSync(f.path))).toEqual([]);
    });

    it("a refused second charge leaves no job and the first charge undone", async () => {
      const { u, jobs } = setUp(1);
      const files = uploads();
      await expect(send(jobs, u, files)).rejects.toThrow("insufficient_tokens");
      expect(jobCount()).toBe(0);
      expect(charges()).toEqual([]);
      expect(w.ledger.balance(u)).toBe(1);
      expect(files.filter((f) => existsSync(f.path))).toEqual([]);
    });

    it("a set over the owner's queue room is refused whole", async () => {
      const { u, jobs } = setUp(5, { MM_MAX_QUEUED_PER_OWNER: "2" });
      const files = uploads();
      await expect(send(jobs, u, files)).rejects.toThrow("queue_limit_reached");
      expect(jobCount()).toBe(0);
      expect(charges()).toEqual([]);
      expect(files.filter((f) => existsSync(f.path))).toEqual([]);
    });

    it("a replay of the update after a failed submit queues every track exactly once", async () => {
      const { u, jobs } = setUp(5);
      const heal = failInsertOf(w.backend, "b.wav");
      await expect(send(jobs, u, uploads(), "42:7")).rejects.toThrow("injected insert fault");
      // What the bot's replay looks for (intake.ts): no track of the failed attempt exists.
      expect(NAMES.map((_, i) => jobs.byBotUpdate(`42:7:${i}`))).toEqual([undefined, undefined, undefined]);
      heal();
      const got = await send(jobs, u, uploads(), "42:7");
      expect(NAMES.map((_, i) => jobs.byBotUpdate(`42:7:${i}`)?.id)).toEqual(got.map((j) => j.id));
      expect(jobCount()).toBe(3);
      expect(charges()).toHaveLength(3);
      expect(w.ledger.balance(u)).toBe(2);
    });
  });

describe("batch submits all or nothing with files in a bucket", () => {
  let w: LedgerWorld;
  let s3: S3Server;
  afterEach(async () => {
    w?.close();
    await s3?.stop();
  });

  it("a fault on the second insert removes every object the set put in the bucket", async () => {
    s3 = await startS3();
    w = ledgerWorld();
    const u = w.user(1, "pro");
    w.ledger.credit(u, 5, { note: "top-up", actor: "cli" });
    const config = w.config(s3.env("p"));
    const files = createFileStore(config, w.layout, silentLogger);
    const jobs = createJobService({
      backend: w.backend,
      config,
      log: silentLogger,
      layout: w.layout,
      files,
      billing: w.ledger,
    });
    const send = (set: { path: string; name: string }[]) =>
      submitAll(jobs, set, (f) => ({ ...masterRequest(u, f.name), inputPath: f.path }));
    failInsertOf(w.backend, "b.wav");
    const set = uploadsIn(w.layout.uploads);
    await expect(send(set)).rejects.toThrow("injected insert fault");
    await files.settled(); // the bucket's deletes run in the background
    expect(await s3.keys()).toEqual([]);
    expect(set.filter((f) => existsSync(f.path))).toEqual([]);
    expect(w.ledger.balance(u)).toBe(5);
    // The same set without the fault: every input is in the bucket.
    w.dbh.sqlite.run("DROP TRIGGER jobs_fault");
    const ok = uploadsIn(w.layout.uploads);
    expect(await send(ok)).toHaveLength(3);
    expect((await s3.keys()).filter((k) => k.endsWith(".wav"))).toHaveLength(3);
  });
});
