// Maintenance mode end to end on the real app: new submissions get 503 + Retry-After with the operator's
// message, reads and health keep working, and the pool claims nothing new while a running job finishes.
import { afterAll, describe, expect, it } from "bun:test";
import type { Health } from "../../../src/ops/health";
import { stagedRequest } from "../../fixtures/submit";
import { waitFor } from "../../fixtures/wait";
import { setup, stopAll } from "./setup";

afterAll(stopAll);

describe("maintenance mode", () => {
  it("answers new submissions 503 + Retry-After while a running job finishes; queued work waits", async () => {
    const env = setup();
    const upload = (name: string) =>
      stagedRequest(env.layout.uploads, name, { ownerKey: "ip:9", originalName: name });

    const running = env.jobs.submit(upload("a.wav"));
    env.jobs.start();
    const until = (pred: () => boolean, what: string) => waitFor(pred, { what });
    await until(() => env.gate.waiting() === 1, "the first job to start");

    env.settings.setMaintenance(true, "Обновление до 15:00", "cli");
    for (const path of [
      "/api/v2/master",
      "/api/master",
      "/api/v2/preview",
      "/api/v2/batch",
      "/api/measure",
      "/api/master/",
    ]) {
      const res = await env.app.request(path, {
        method: "POST",
        body: "ignored",
        headers: { "Accept-Language": "ru" },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("120");
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: "maintenance",
        message: "Сервис на обслуживании. Обновление до 15:00",
      });
    }
    // Reads keep working, and health shows the mode.
    expect(
      (await env.app.request(`/api/jobs/${running.id}?token=${env.jobs.accessToken(running.id)}`)).status,
    ).toBe(200);
    expect(((await (await env.app.request("/api/health")).json()) as Health).maintenance).toBe(true);

    // A job queued by another edge (bot) is not claimed while maintenance is on.
    const waiting = env.jobs.submit(upload("b.wav"));
    env.gate.openOne();
    await until(() => env.jobs.get(running.id)?.status === "done", "the running job to finish");
    // The pool has since looked for work three more times and was told no each time.
    const checks = env.claimChecks();
    await until(() => env.claimChecks() >= checks + 3, "three more claim attempts");
    expect(env.jobs.get(waiting.id)?.status).toBe("queued");
    expect(env.gate.waiting()).toBe(0);

    env.settings.setMaintenance(false, undefined, "cli");
    await until(() => env.gate.waiting() === 1, "the queued job to be claimed after maintenance");
    env.gate.openOne();
    await until(() => env.jobs.get(waiting.id)?.status === "done", "the second job to finish");
  });

  it("uses the default text when the operator gave no message", async () => {
    const env = setup();
    env.settings.setMaintenance(true, undefined, "cli");
    const res = await env.app.request("/api/v2/master", { method: "POST" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      "New tasks are paused",
    );
  });
});
