// /api/health requests/s of the real service vs a bare Bun.serve answering the same JSON, same run,
// same load loop (goal ≥ 50 %). The service caches its ffmpeg probe, so this measures the HTTP stack,
// the middleware (request id, access log) and the DB count query.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { fmt, loadTest } from "./lib";

const SECONDS = Number(process.argv[2] ?? 5);
const service = await startService(
  loadConfig({ PORT: "0", MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")), MM_WORKERS: "1" }),
  silentLogger,
);
const body = await (await fetch(`${service.url}/api/health`)).json();
const bare = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json(body) });

const base = await loadTest(`http://127.0.0.1:${bare.port}/api/health`, SECONDS);
const ours = await loadTest(`${service.url}/api/health`, SECONDS);
console.log(
  `health rps: magic-master ${fmt(ours.rps, 0)}/s (errors ${ours.errors}) vs bare Bun.serve ${fmt(base.rps, 0)}/s → ${fmt((100 * ours.rps) / base.rps, 0)} % (goal ≥ 50 %)`,
);
await service.stop();
bare.stop(true);
