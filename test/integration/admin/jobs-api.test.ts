// Issue 14 point 5, the success paths of the admin's job actions over HTTP on the real service (SQLite in a
// temp dir, loopback, billing on, real ffmpeg behind a gate the test opens): cancel a running and a queued
// job (each charge refunded once), retry a failed job charged (a new charge row under the new job's id) or
// free (no ledger row at all), and delete a done job's result (file gone, download 410). The ledger rows
// and audit rows are read from the database file; each action is audited with the admin, IP, before/after.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { type Gate, gatedFfmpeg } from "../../e2e/gated-ffmpeg";
import { makeMusic } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";
import { type AdminFixture, startAdminFixture } from "./fixture";

let f: AdminFixture;
let gate: Gate;
let track = "";
let userId = 0;
let userAuth: Record<string, string> = {};

type Line = { id: string; status: string; cost: number; input_kept: boolean; result_bytes: number | null };

const balance = () =>
  (
    f.s.dbh.sqlite
      .query<{ b: number }, [number]>("select coalesce(sum(delta), 0) as b from ledger where user_id = ?")
      .get(userId) as { b: number }
  ).b;
type AuditRow = { actor: string; action: string; ip: string | null; before: string; after: string };
const auditOf = (id: string) =>
  f.s.dbh.sqlite
    .query<AuditRow, [string]>(
      "select actor, action, ip, before, after from audit_log where target = ? order by id",
    )
    .all(`job:${id}`)
    .map((r) => ({ ...r, before: JSON.parse(r.before), after: JSON.parse(r.after) }));
const statusOf = (id: string) => f.s.jobs.get(id)?.status;
const reached = (id: string, status: string) =>
  waitFor(() => statusOf(id) === status, { what: `job ${id} ${status}`, timeoutMs: 90_000 });

const submit = () => f.submitMaster(userAuth, track);
const ledgerOf = (ref: string) => f.ledgerOf(ref);
const act = async (method: string, path: string, body?: unknown) => {
  const res = await f.call("admin", method, path, body);
  return { status: res.status, body: (await res.json()) as Line & { error?: { code: string } } };
};

beforeAll(async () => {
  gate = gatedFfmpeg();
  f = await startAdminFixture({
    MM_FFMPEG: gate.ffmpeg,
    MM_BILLING: "on",
    MM_FAILED_INPUT_KEEP_H: "1",
  });
  track = await makeMusic(f.dir, { durationS: 2, name: "admin-jobs.wav" });
  ({ id: userId, auth: userAuth } = await f.payingUser("jobs.owner@example.com", 10));
}, 60_000);
afterAll(async () => {
  gate?.killWaiting();
  await f?.stop();
});

describe("admin job actions over HTTP", () => {
  it("cancels a running and a queued job; each charge is given back once", async () => {
    const running = await submit();
    await waitFor(() => statusOf(running) === "running" && gate.arrivals() >= 1, {
      what: "the first job held at the gate",
    });
    const queued = await submit(); // one worker: it waits behind the running one
    expect(statusOf(queued)).toBe("queued");
    expect(balance()).toBe(8);

    for (const id of [queued, running]) {
      const res = await act("POST", `/api/admin/jobs/${id}/cancel`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: "cancelled" });
      expect(ledgerOf(id)).toEqual([
        { reason: "charge", delta: -1 },
        { reason: "refund", delta: 1 },
      ]);
      expect(auditOf(id)).toEqual([
        expect.objectContaining({
          action: "job_cancel",
          actor: expect.stringMatching(/^user:\d+$/),
          ip: expect.stringMatching(/127\.0\.0\.1|::1/),
          before: { status: id === running ? "running" : "queued", cost: 1 },
          after: { status: "cancelled" },
        }),
      ]);
    }
    expect(balance()).toBe(10);
    // A second click: the precise refusal, and still one refund.
    const again = await act("POST", `/api/admin/jobs/${running}/cancel`);
    expect(again.status).toBe(409);
    expect(ledgerOf(running)).toHaveLength(2);
  });

  it("retries a failed job with a charge: a new job, its own charge row, a downloadable result", async () => {
    gate.fail(true);
    gate.open();
    const failed = await submit();
    await reached(failed, "failed");
    expect(ledgerOf(failed)).toEqual([
      { reason: "charge", delta: -1 },
      { reason: "refund", delta: 1 },
    ]);
    const detail = (await (await f.call("admin", "GET", `/api/admin/jobs/${failed}`)).json()) as {
      job: Line;
      error_detail: string | null;
    };
    expect(detail.job.input_kept).toBe(true);
    expect(detail.error_detail).toContain("simulated ffmpeg crash");

    gate.fail(false);
    const res = await act("POST", `/api/admin/jobs/${failed}/retry`, { charge: true });
    expect(res.status).toBe(201);
    const retry = res.body.id;
    expect(retry).not.toBe(failed);
    expect(res.body.cost).toBe(1);
    expect(ledgerOf(retry)).toEqual([{ reason: "charge", delta: -1 }]);
    await reached(retry, "done");
    expect(ledgerOf(retry)).toEqual([{ reason: "charge", delta: -1 }]);
    expect(balance()).toBe(9);
    const token = f.s.jobs.accessToken(retry) ?? "";
    const download = await fetch(`${f.s.url}/api/jobs/${retry}/result?token=${token}`);
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(auditOf(failed)).toEqual([
      expect.objectContaining({
        action: "job_retry",
        before: { status: "failed", cost: 1 },
        after: { retry, charged: true, cost: 1 },
      }),
    ]);

    // The kept upload is taken once; a done job is not retried.
    const twice = await act("POST", `/api/admin/jobs/${failed}/retry`, { charge: true });
    expect([twice.status, twice.body.error?.code]).toEqual([409, "job_input_gone"]);
    const done = await act("POST", `/api/admin/jobs/${retry}/retry`, { charge: false });
    expect([done.status, done.body.error?.code]).toEqual([409, "job_not_retryable"]);
    expect(balance()).toBe(9);
  });

  it("retries a failed job free of charge: no ledger row for the new job", async () => {
    gate.fail(true);
    const failed = await submit();
    await reached(failed, "failed");
    gate.fail(false);
    const before = balance();
    const res = await act("POST", `/api/admin/jobs/${failed}/retry`, { charge: false });
    expect(res.status).toBe(201);
    expect(res.body.cost).toBe(0);
    await reached(res.body.id, "done");
    expect(ledgerOf(res.body.id)).toEqual([]);
    expect(balance()).toBe(before);
    expect(auditOf(failed).at(-1)).toMatchObject({
      action: "job_retry",
      after: { retry: res.body.id, charged: false, cost: 0 },
    });
  });

  it("deletes a done job's result: the file goes, the download answers 410, the charge stays", async () => {
    const id = await submit();
    await reached(id, "done");
    const path = (
      f.s.dbh.sqlite.query("select result_path as p from jobs where public_id = ?").get(id) as {
        p: string;
      }
    ).p;
    expect(existsSync(path)).toBe(true);
    const res = await f.call("admin", "DELETE", `/api/admin/jobs/${id}/result`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; bytes: number };
    expect(body.id).toBe(id);
    expect(body.bytes).toBeGreaterThan(1000);
    expect(existsSync(path)).toBe(false);
    const token = f.s.jobs.accessToken(id) ?? "";
    expect((await fetch(`${f.s.url}/api/jobs/${id}/result?token=${token}`)).status).toBe(410);
    expect(ledgerOf(id)).toEqual([{ reason: "charge", delta: -1 }]);
    expect(auditOf(id)).toEqual([
      expect.objectContaining({
        action: "job_result_delete",
        before: { status: "done", cost: 1 },
        after: { status: "expired", bytes: body.bytes },
      }),
    ]);
    const again = await f.call("admin", "DELETE", `/api/admin/jobs/${id}/result`);
    expect(again.status).toBe(409);
  });
});
