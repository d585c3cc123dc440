// The start-up probe of a bucket (src/service.ts checkFileStore: write and delete one object) retries a
// transient error twice: S3 asks clients to retry InternalError, and s3rver answered it when three nodes
// started at once. A local HTTP proxy in front of s3rver (the request forwarded unchanged, Host included,
// so SigV4 still holds) answers the probe's PUT with a real S3 InternalError while `failures` lasts.
// Once → the compiled binary logs files_check_retry and starts; always → it stops with a message naming
// MM_STORAGE_URL, after three attempts.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { request } from "node:http";
import { type S3Server, startS3 } from "../fixtures/s3";
import { ensureBinary, runBinary, serveBinary, tempDir } from "./lib";

let s3: S3Server;
let proxy: ReturnType<typeof Bun.serve>;
/** Probe PUTs still to fail (set per test); how many the proxy failed. */
let failures = 0;
let failed = 0;
const dirs: string[] = [];

const INTERNAL_ERROR = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>`;

/** Forwards one request to s3rver as it came (method, path, headers with Host, body). */
async function forward(req: Request, target: URL): Promise<Response> {
  const url = new URL(req.url);
  const body = Buffer.from(await req.arrayBuffer());
  const headers = Object.fromEntries(req.headers.entries());
  return await new Promise<Response>((resolve, reject) => {
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: url.pathname + url.search,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === "string" && !["transfer-encoding", "connection", "content-length"].includes(k))
              h.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers: h }));
        });
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}

beforeAll(async () => {
  await ensureBinary();
  s3 = await startS3();
  const target = new URL(s3.endpoint);
  proxy = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const probe = req.method === "PUT" && new URL(req.url).pathname.includes("/.probe/");
      if (probe && failures > 0) {
        failures--;
        failed++;
        return new Response(INTERNAL_ERROR, { status: 500, headers: { "content-type": "application/xml" } });
      }
      return forward(req, target);
    },
  });
}, 120_000);
afterAll(async () => {
  await proxy?.stop(true);
  await s3?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = () => {
  const dir = tempDir("mm-e2e-probe-");
  dirs.push(dir);
  return {
    ...s3.env("probe"),
    MM_S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
    MM_DATA_DIR: dir,
    MM_HOST: "127.0.0.1",
    MM_LOG_LEVEL: "info",
  };
};

describe("the bucket probe at start-up (compiled binary, s3rver behind a failing proxy)", () => {
  it("an InternalError on the first probe is retried and the node starts", async () => {
    const t0 = performance.now();
    failures = 1;
    failed = 0;
    const s = await serveBinary(env());
    try {
      const lines = s.lines();
      expect(failed).toBe(1);
      expect(lines.filter((l) => l.event === "files_check_retry").map((l) => l.attempt)).toEqual([1]);
      expect(lines.some((l) => l.event === "files_ready")).toBe(true);
      const health = await fetch(`${s.url}/api/health`);
      expect(health.status).toBe(200);
      // The probe object was deleted after the retry that worked.
      expect((await s3.keys("probe/")).filter((k) => k.includes(".probe/"))).toEqual([]);
    } finally {
      s.proc.kill("SIGTERM");
      await s.proc.exited;
    }
    console.log(`storage-probe (once): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 120_000);

  it("a bucket that keeps failing stops start-up with a message naming MM_STORAGE_URL", async () => {
    const t0 = performance.now();
    failures = Number.POSITIVE_INFINITY;
    failed = 0;
    const r = await runBinary(["serve"], { ...env(), PORT: "0" });
    failures = 0;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MM_STORAGE_URL: cannot write to");
    expect(r.stderr).toContain("s3://mm-test/probe");
    expect(failed).toBe(3);
    const retries = r.stdout
      .split("\n")
      .filter((l) => l.includes('"files_check_retry"'))
      .map((l) => (JSON.parse(l) as { attempt: number }).attempt);
    expect(retries).toEqual([1, 2]);
    console.log(`storage-probe (always): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 120_000);
});
