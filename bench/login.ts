// Login cost with the chosen argon2id parameters (accounts/auth.ts PASSWORD_HASH): p50/p99 of one
// POST /api/auth/login and logins/s with 4 in flight (goal ≥ 20/s on 2 cores), against a plain
// GET /api/health in the same run and service. Also wrong password vs unknown e-mail p50: both pay one
// argon2 verify, so the ratio should be ~1 (a much faster unknown e-mail would enumerate accounts).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PASSWORD_HASH } from "../src/accounts";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { fmt } from "./lib";

const N = Number(process.argv[2] ?? 60);
const CONCURRENCY = 4;
const service = await startService(
  loadConfig({
    PORT: "0",
    MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")),
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
  }),
  silentLogger,
);
const url = service.url;
const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
// Successful logins do not count against the attempt limits; the 16 failures below stay under them.
const users = Array.from({ length: 8 }, (_, i) => ({
  email: `bench${i}@example.com`,
  password: `bench-password-${i}`,
}));
for (const u of users) await post("/api/auth/register", u);

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function timed(n: number, one: (i: number) => Promise<Response>) {
  const ms: number[] = [];
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        const res = await one(i);
        await res.arrayBuffer();
        ms.push(performance.now() - s);
        if (res.status >= 500 || res.status === 429) bad++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p99: pct(ms, 99), rps: n / secs, bad };
}

// The machine's own argon2 rate at the same concurrency: logins/s can only approach it, so on a loaded
// machine the ratio to it says what the HTTP + session path costs.
const ref = await Bun.password.hash("bench-password-0", PASSWORD_HASH);
const bare = await timed(N, async () => {
  await Bun.password.verify("bench-password-0", ref);
  return new Response("");
});
const health = await timed(N * 5, () => fetch(`${url}/api/health`));
const login = await timed(N, (i) => post("/api/auth/login", users[i % users.length]));
const wrong = await timed(8, (i) =>
  post("/api/auth/login", { email: users[i % 8]?.email, password: "wrong-password" }),
);
const unknown = await timed(8, (i) =>
  post("/api/auth/login", { email: `nobody${i}@example.com`, password: "wrong-password" }),
);
console.log(
  `login (argon2id m=${PASSWORD_HASH.memoryCost} KiB t=${PASSWORD_HASH.timeCost}, ${CONCURRENCY} in flight, n=${N}): ` +
    `p50 ${fmt(login.p50, 1)} ms p99 ${fmt(login.p99, 1)} ms, ${fmt(login.rps, 1)} logins/s (goal ≥ 20/s; refused ${login.bad}) ` +
    `vs GET /api/health p50 ${fmt(health.p50, 2)} ms, ${fmt(health.rps, 0)}/s; ` +
    `bare argon2 verify ${fmt(bare.rps, 1)}/s → login at ${fmt((100 * login.rps) / bare.rps, 0)} % of it`,
);
console.log(
  `login timing: wrong password p50 ${fmt(wrong.p50, 1)} ms vs unknown e-mail p50 ${fmt(unknown.p50, 1)} ms → ratio ${fmt(unknown.p50 / wrong.p50, 2)} (goal ≈ 1)`,
);
await service.stop();
