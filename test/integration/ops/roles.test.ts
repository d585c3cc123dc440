// `serve --role`: one SQLite folder, two in-process services with disjoint roles — api+bot+scheduler and
// worker. The API node queues an upload over HTTP, the worker node claims and masters it from the shared
// file, and the API node serves the result. A worker-only node answers its probes and nothing else (in
// the caller's language); a second worker on the same folder is refused; roles are validated.
import { afterAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../../src/config";
import { silentLogger } from "../../../src/log";
import { DataFolderLockedError, parseRoles } from "../../../src/ops";
import type { Health } from "../../../src/ops/health";
import { type RunningService, startService } from "../../../src/service";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";
import { form } from "../api/harness";

const running: RunningService[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of running.reverse()) await s.stop();
  for (const d of dirs) await cleanup(d);
});

describe("parseRoles", () => {
  test("takes a comma list in any order and case, and names a wrong entry", () => {
    expect([...parseRoles(" Worker,api ,worker")].sort()).toEqual(["api", "worker"]);
    expect(() => parseRoles("api,wrker")).toThrow(/unknown role "wrker"/);
    expect(() => parseRoles(" , ")).toThrow(/needs one or more/);
  });
});

describe("serve --role on one SQLite folder", () => {
  test("an api node queues, a worker node masters, the api node serves the result", async () => {
    const dir = await tempDir("mm-roles-");
    const fx = await tempDir();
    dirs.push(dir, fx);
    const song = await makeMusic(fx, { durationS: 1 });
    const config = loadConfig({ PORT: "0", MM_DATA_DIR: dir, MM_WORKERS: "1" });
    const api = await startService(config, silentLogger, parseRoles("api,bot,scheduler"));
    running.push(api);
    const worker = await startService(config, silentLogger, parseRoles("worker"));
    running.push(worker);

    const health = (await (await fetch(`${api.url}/api/health`)).json()) as Health;
    expect(health.roles).toEqual(["api", "bot", "scheduler"]);
    const wHealth = await fetch(`${worker.url}/api/health`);
    expect(wHealth.status).toBe(200);
    expect(((await wHealth.json()) as Health).roles).toEqual(["worker"]);
    const refused = await fetch(`${worker.url}/api/v2/styles`, { headers: { "accept-language": "ru" } });
    expect(refused.status).toBe(404);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("role_not_served");
    expect(body.error.message).toContain("worker");
    expect(body.error.message).toMatch(/[а-я]/);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);

    // The same role twice on one folder: the second is refused before it touches anything.
    await expect(startService(config, silentLogger, parseRoles("worker"))).rejects.toBeInstanceOf(
      DataFolderLockedError,
    );

    const res = await fetch(`${api.url}/api/v2/master`, {
      method: "POST",
      body: await form([{ name: "song.wav", data: song }]),
    });
    expect(res.status).toBe(202);
    const { id, token } = (await res.json()) as { id: string; token: string };
    const final = await waitFor(
      async () => {
        const j = (await (await fetch(`${api.url}/api/jobs/${id}?token=${token}`)).json()) as {
          status: string;
        };
        return j.status === "done" || j.status === "failed" ? j.status : undefined;
      },
      { what: "the worker node to finish the job", timeoutMs: 240_000, intervalMs: 250 },
    );
    expect(final).toBe("done");
    const file = await fetch(`${api.url}/api/jobs/${id}/result?token=${token}`);
    expect(file.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await file.arrayBuffer()).subarray(0, 4))).toBe("RIFF");
  }, 300_000);
});
