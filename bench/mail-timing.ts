// No enumeration by time: p50/p90 of POST /api/auth/forgot-password for e-mails with an account vs
// without, and of POST /api/auth/register for a new vs a known e-mail, with SMTP on (a real SMTP server on
// loopback in this process receives the mails; the service runs in its own process, as a remote prober
// would see it). The answer never waits for the account lookup or the mail, so the ratios should be ≈ 1.
// Requests alternate one at a time, each after the previous one's mail arrived (quiet service); each comes
// from its own X-Forwarded-For address (the per-IP limits are not what is measured).
// Usage: bun bench/mail-timing.ts [N]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSmtp } from "../test/fakes/smtp";
import { waitFor } from "../test/fixtures/wait";
import { fmt } from "./lib";

const N = Number(process.argv[2] ?? 40);
const smtp = await startSmtp();
const proc = Bun.spawn(["bun", join(import.meta.dir, "../src/main.ts"), "serve"], {
  env: {
    ...process.env,
    PORT: "0",
    MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")),
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_TRUSTED_PROXIES: "127.0.0.1",
    MM_SMTP_URL: smtp.url,
  },
  stdout: "pipe",
  stderr: "ignore",
});
let url = "";
const reader = (async () => {
  let buf = "";
  for await (const chunk of proc.stdout) {
    buf += new TextDecoder().decode(chunk);
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const rec = JSON.parse(buf.slice(0, nl)) as { event?: string; url?: string };
      buf = buf.slice(nl + 1);
      if (rec.event === "server_started") url = String(rec.url);
    }
  }
})();
await waitFor(() => url, { what: "the service to start", timeoutMs: 60_000 });

let ip = 0;
const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": `10.9.${(++ip >> 8) & 255}.${ip & 255}`,
    },
    body: JSON.stringify(body),
  });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
/** Times one request, then waits until the mails it causes (`mails`) have arrived. */
async function time(mails: number, fn: () => Promise<Response>): Promise<number> {
  const want = smtp.mails.length + mails;
  const t0 = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 202) throw new Error(`answered ${res.status}`);
  await waitFor(() => smtp.mails.length >= want, { what: `${want} mails`, timeoutMs: 30_000 });
  return ms;
}

const known = Array.from({ length: N }, (_, i) => `known${i}@example.com`);
for (const email of known)
  await time(1, () => post("/api/auth/register", { email, password: "bench-password" }));

const forgotKnown: number[] = [];
const forgotUnknown: number[] = [];
const regNew: number[] = [];
const regKnown: number[] = [];
for (let i = 0; i < N; i++) {
  forgotKnown.push(await time(1, () => post("/api/auth/forgot-password", { email: known[i] })));
  forgotUnknown.push(
    await time(0, () => post("/api/auth/forgot-password", { email: `nobody${i}@example.com` })),
  );
  regNew.push(
    await time(1, () =>
      post("/api/auth/register", { email: `new${i}@example.com`, password: "bench-password" }),
    ),
  );
  regKnown.push(
    await time(1, () => post("/api/auth/register", { email: known[i], password: "bench-password" })),
  );
}
const line = (what: string, a: number[], b: number[], an: string, bn: string) =>
  console.log(
    `${what} (n=${N} each, SMTP on, ${smtp.mails.length} mails received): ${an} p50 ${fmt(pct(a, 50), 2)} ms p90 ${fmt(pct(a, 90), 2)} ms ` +
      `vs ${bn} p50 ${fmt(pct(b, 50), 2)} ms p90 ${fmt(pct(b, 90), 2)} ms → ratio ${fmt(pct(b, 50) / pct(a, 50), 2)} (goal ≈ 1)`,
  );
line("forgot-password timing", forgotKnown, forgotUnknown, "known e-mail", "unknown e-mail");
line("register timing", regNew, regKnown, "new e-mail", "known e-mail");
proc.kill("SIGTERM");
await proc.exited;
await reader;
await smtp.close();
