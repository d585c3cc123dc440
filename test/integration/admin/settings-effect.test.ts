// Every setting the admin panel shows changes behaviour at runtime (issue 14 point 6): the table below
// has one proof per runtime setting (src/settings/runtime.ts RUNTIME_KEYS) and per feature flag the HTTP
// edge reads, and the first test fails when a setting is listed without a proof. Each proof changes the
// setting over the admin HTTP API of the real service (SQLite in a temp dir, loopback HTTP, fake Bot API
// and SMTP servers) and observes the service behaving differently, then resets it. Secrets: write-only.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { backupFileName } from "../../../src/db";
import { FEATURE_ROUTES } from "../../../src/http/middleware/feature-gate";
import { alertStateKey, FAILURE_WINDOW_MS } from "../../../src/scheduler/alerts";
import { RUNTIME_KEYS } from "../../../src/settings";
import { type SmtpFake, startSmtp } from "../../fakes/smtp";
import { FakeTelegram } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";
import { type AdminFixture, startAdminFixture } from "./fixture";

const episodeShape = z.object({ active: z.boolean() });
let f: AdminFixture;
let tg: FakeTelegram;
let smtp: SmtpFake;
let fx: string;
let wav: string;
const CHAT = "-100777";

const put = (key: string, value: string | null) =>
  f.call("admin_token", "PUT", `/api/admin/settings/${key}`, { value });
/** A request from another client address (trusted proxy header), so the admin's own calls are not limited. */
const fromClient = (path: string, init: RequestInit = {}) =>
  fetch(`${f.s.url}${path}`, {
    ...init,
    headers: { "x-forwarded-for": "198.51.100.7", ...(init.headers ?? {}) },
  });
const upload = async (path: string, field = "file") => {
  const body = new FormData();
  body.append(field, new File([await Bun.file(wav).arrayBuffer()], "take.wav", { type: "audio/wav" }));
  return fromClient(path, { method: "POST", body });
};
const queueDirect = (ownerKey = "ip:203.0.113.5") => {
  const input = join(f.s.layout.uploads, `direct-${Math.random().toString(36).slice(2)}.upload`);
  writeFileSync(input, "x");
  return f.s.jobs.submit({
    ownerKey,
    source: "web",
    kind: "master",
    inputPath: input,
    inputBytes: 1,
    originalName: "direct.wav",
    settings: {},
    lang: "en",
  });
};

/** One proof per setting: behaviour before, the change, behaviour after. */
const PROOFS: Record<string, () => Promise<void>> = {
  async rate_limit_per_min() {
    for (let i = 0; i < 3; i++) expect((await fromClient("/api/styles")).status).toBe(200);
    expect((await put("rate_limit_per_min", "2")).status).toBe(200);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fromClient("/api/formats")).status);
    expect(codes).toEqual([200, 200, 429]);
    await put("rate_limit_per_min", null);
    expect((await fromClient("/api/formats")).status).toBe(200);
  },
  async max_queued_per_owner() {
    expect(() => f.s.jobs.assertQueueRoom("owner-x", 2)).not.toThrow();
    await put("max_queued_per_owner", "1");
    expect(() => f.s.jobs.assertQueueRoom("owner-x", 2)).toThrow("queue_limit_reached");
    await put("max_queued_per_owner", null);
  },
  async result_ttl_h() {
    await put("result_ttl_h", "1");
    const res = await upload("/api/v2/master");
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => f.s.jobs.get(id)?.status === "done", { what: "job done", timeoutMs: 120_000 });
    const job = f.s.jobs.get(id);
    expect((job?.expires_at ?? 0) - (job?.finished_at ?? 0)).toBeGreaterThan(3_590_000);
    expect((job?.expires_at ?? 0) - (job?.finished_at ?? 0)).toBeLessThan(3_610_000);
    await put("result_ttl_h", null); // default 72 h
  },
  async failed_input_keep_h() {
    // An upload that is not audio fails in real ffmpeg; whether its input stays for a retry is read then.
    const failedInput = async () => {
      const { id } = queueDirect(`ip:203.0.113.${40 + Math.floor(Math.random() * 100)}`);
      await waitFor(() => f.s.jobs.get(id)?.status === "failed", {
        what: `job ${id} failed`,
        timeoutMs: 60_000,
      });
      return { id, input: f.s.jobs.reports.findRecord(id)?.inputPath ?? null };
    };
    const gone = await failedInput(); // 0 by default: deleted when it fails
    expect(gone.input).toBeNull();
    await put("failed_input_keep_h", "2");
    const kept = await failedInput();
    expect(kept.input).not.toBeNull();
    expect(existsSync(kept.input ?? "")).toBe(true);
    const job = f.s.jobs.reports.findRecord(kept.id);
    expect((job?.expiresAt ?? 0) - (job?.finishedAt ?? 0)).toBeGreaterThan(7_190_000);
    await put("failed_input_keep_h", null);
    const retry = await f.call("admin_token", "POST", `/api/admin/jobs/${kept.id}/retry`, { charge: false });
    expect(retry.status).toBe(201); // the kept upload is retried even after the setting went back
    const refused = await f.call("admin_token", "POST", `/api/admin/jobs/${gone.id}/retry`, {
      charge: false,
    });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("job_input_gone");
    const again = (await retry.json()) as { id: string };
    await waitFor(() => f.s.jobs.get(again.id)?.status === "failed", {
      what: "retry failed",
      timeoutMs: 60_000,
    });
  },
  async alert_queue() {
    f.s.settings.setMaintenance(true, "", "test"); // nothing is claimed: the two jobs stay queued
    queueDirect();
    queueDirect();
    expect((await f.s.scheduler.runOnce("alerts")).fired).toBe(0);
    await put("alert_queue", "1");
    const fired = await f.s.scheduler.runOnce("alerts");
    f.s.settings.setMaintenance(false, "", "test");
    expect(fired).toMatchObject({ fired: 1 });
    await put("alert_queue", null);
    for (const j of f.s.jobs.reports.searchRecords({ status: ["queued"], limit: 10 }))
      f.s.jobs.cancel(j.publicId, "test");
    f.s.settings.setMaintenance(false, "", "test");
  },
  async alert_failure_rate() {
    // Five uploads that are not audio: real ffmpeg refuses each, so 5 of the window's finished jobs fail.
    const ids = Array.from({ length: 5 }, (_, i) => queueDirect(`ip:203.0.113.${20 + i}`).id);
    await waitFor(() => ids.every((id) => f.s.jobs.get(id)?.status === "failed"), {
      what: "five failed jobs",
      timeoutMs: 60_000,
    });
    const { finished, failed } = f.s.jobs.reports.outcomesSince(Date.now() - FAILURE_WINDOW_MS);
    expect(failed / finished).toBeGreaterThan(0.5); // above the 0.5 default, never above 1
    const episode = () => f.s.settings.readState(alertStateKey("failure_rate"), episodeShape)?.active;
    await put("alert_failure_rate", "1");
    await f.s.scheduler.runOnce("alerts");
    expect(episode()).not.toBe(true);
    await put("alert_failure_rate", null); // 0.5
    await f.s.scheduler.runOnce("alerts");
    expect(episode()).toBe(true);
    expect(f.lines.some((l) => l.event === "alert_fired" && l.kind === "failure_rate")).toBe(true);
    await put("alert_failure_rate", "1");
    await f.s.scheduler.runOnce("alerts");
    expect(episode()).toBe(false); // recovered under the raised threshold
    await put("alert_failure_rate", null);
  },
  async backup_retention_days() {
    const old = backupFileName(new Date(Date.now() - 5 * 86_400_000));
    writeFileSync(join(f.s.layout.backups, old), "old");
    await f.s.scheduler.runOnce("backup");
    const names = async () =>
      (
        (await (await f.call("admin_token", "GET", "/api/admin/backups")).json()) as {
          backups: { name: string }[];
        }
      ).backups.map((b) => b.name);
    expect(await names()).toContain(old); // 30 days by default
    await put("backup_retention_days", "1");
    await f.s.scheduler.runOnce("backup");
    expect(await names()).not.toContain(old);
    await put("backup_retention_days", null);
  },
  async admin_chat_id() {
    expect((await f.call("admin_token", "POST", "/api/admin/test-telegram", {})).status).toBe(409);
    await put("admin_chat_id", CHAT);
    const res = await f.call("admin_token", "POST", "/api/admin/test-telegram", {});
    expect(res.status).toBe(200);
    expect(tg.messagesTo(Number(CHAT)).some((m) => /test/i.test(m.text ?? ""))).toBe(true);
    await put("admin_chat_id", null);
  },
  async smtp_url() {
    const mail = { to: "ops@example.com" };
    expect((await f.call("admin_token", "POST", "/api/admin/test-email", mail)).status).toBe(409);
    const set = await put("smtp_url", smtp.url);
    expect(set.status).toBe(200);
    const view = (await set.json()) as { value: string | null; set: boolean; secret: boolean };
    expect(view).toMatchObject({ value: null, set: true, secret: true }); // write-only
    const listed = await (await f.call("admin_token", "GET", "/api/admin/settings")).text();
    expect(listed).not.toContain(smtp.url);
    expect((await f.call("admin_token", "POST", "/api/admin/test-email", mail)).status).toBe(200);
    expect((await smtp.waitFor("ops@example.com")).subject).toContain("Magic Master");
    const audit = await (await f.call("admin_token", "GET", "/api/admin/audit?action=setting_set")).text();
    expect(audit).not.toContain(smtp.url);
    await put("smtp_url", null);
  },
  async mail_from() {
    await put("smtp_url", smtp.url);
    expect(
      (await f.call("admin_token", "POST", "/api/admin/test-email", { to: "from@example.com" })).status,
    ).toBe(200);
    expect((await smtp.waitFor("from@example.com")).from).not.toContain("night@example.com");
    await put("mail_from", "Night Ops <night@example.com>");
    expect(
      (await f.call("admin_token", "POST", "/api/admin/test-email", { to: "from@example.com" })).status,
    ).toBe(200);
    expect((await smtp.waitFor("from@example.com", 2)).from).toContain("night@example.com");
    await put("mail_from", null);
    await put("smtp_url", null);
  },
};
const FLAG_PROOF = (flag: string, route: string) => async () => {
  const field = route.endsWith("batch") ? "files" : "file";
  expect((await f.call("admin_token", "POST", `/api/admin/flags/${flag}`, { on: false })).status).toBe(200);
  const off = await upload(route, field);
  expect(off.status).toBe(503);
  expect(((await off.json()) as { error: { code: string } }).error.code).toBe("feature_disabled");
  expect((await f.call("admin_token", "POST", `/api/admin/flags/${flag}`, { on: true })).status).toBe(200);
  expect((await upload(route, field)).status).not.toBe(503);
};

beforeAll(async () => {
  fx = await tempDir();
  wav = await makeMusic(fx, { durationS: 1 });
  tg = await FakeTelegram.start();
  smtp = await startSmtp();
  f = await startAdminFixture({
    MM_TRUSTED_PROXIES: "127.0.0.1,::1",
    MM_BOT_TOKEN: tg.token,
    MM_TELEGRAM_API_ROOT: tg.apiRoot,
  });
});
afterAll(async () => {
  await f.stop();
  await tg.stop();
  await smtp.close();
  await cleanup(fx);
});

describe("every setting shown changes behaviour", () => {
  it("the settings page lists exactly the proven settings and the flags the HTTP edge reads", async () => {
    const body = (await (await f.call("admin_token", "GET", "/api/admin/settings")).json()) as {
      values: { key: string }[];
      flags: { name: string }[];
    };
    expect(body.values.map((v) => v.key).sort()).toEqual([...RUNTIME_KEYS].sort());
    expect(Object.keys(PROOFS).sort()).toEqual([...RUNTIME_KEYS].sort());
    expect(body.flags.map((x) => x.name).sort()).toEqual([...new Set(Object.values(FEATURE_ROUTES))].sort());
  });

  for (const key of RUNTIME_KEYS)
    it(`setting ${key}`, async () => {
      const proof = PROOFS[key];
      if (!proof) throw new Error(`no proof for ${key}`);
      await proof();
    });

  for (const [route, flag] of Object.entries(FEATURE_ROUTES))
    it(`flag ${flag} (${route})`, FLAG_PROOF(flag, route));

  it("maintenance mode refuses new work at once and is audited with the admin's address", async () => {
    const on = await f.call("admin_token", "POST", "/api/admin/maintenance", {
      on: true,
      message: "upgrade",
    });
    expect(on.status).toBe(200);
    expect((await upload("/api/v2/master")).status).toBe(503);
    await f.call("admin_token", "POST", "/api/admin/maintenance", { on: false });
    expect((await upload("/api/v2/master")).status).toBe(202);
    const audit = (await (
      await f.call("admin_token", "GET", "/api/admin/audit?action=maintenance_*")
    ).json()) as {
      entries: { action: string; ip: string | null; before: unknown; after: unknown }[];
    };
    expect(audit.entries[0]).toMatchObject({ action: "maintenance_off", after: { on: false } });
    expect(audit.entries[1]).toMatchObject({
      action: "maintenance_on",
      before: { on: false },
      after: { on: true },
    });
    expect(audit.entries[0]?.ip).toBeTruthy();
  });

  it("refuses an unknown setting, a bad value and an unknown flag with a translated 4xx", async () => {
    const unknown = await f.call("admin_token", "PUT", "/api/admin/settings/nope", { value: "1" });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${f.s.url}/api/admin/settings/rate_limit_per_min`, {
      method: "PUT",
      headers: { ...f.as("admin_token", "PUT"), "content-type": "application/json", "accept-language": "ru" },
      body: JSON.stringify({ value: "lots" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "setting_invalid",
      message: expect.stringMatching(/[а-я]/i),
    });
    expect((await f.call("admin_token", "POST", "/api/admin/flags/nope", { on: true })).status).toBe(404);
  });
});
