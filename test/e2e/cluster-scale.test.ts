// Proof of scale on one machine (issue 16, point 5): 1 api node + 3 worker nodes (MM_WORKERS=1 each) +
// 1 bot/scheduler node on one Postgres and one bucket, billing on. 60 short jobs are submitted over HTTP
// by 4 studio-tier users with token balances. One worker is killed with SIGKILL while it runs a job (held at its
// ffmpeg gate, so the kill lands mid-job on any machine); a second leader-capable node is started and the
// leader killed → it takes over polling and the crons. Then: every job done exactly once (one charge, no
// refund, one result object each), no object in the bucket that no row names, every balance = credits −
// charges (and the cached balance agrees).
import { describe, expect, it } from "bun:test";
import { basename } from "node:path";
import { FakeTelegram } from "../fakes/telegram";
import { type ClusterJob, proUser, submitAs, useClusterRig } from "../fixtures/cluster";
import { waitFor } from "../fixtures/wait";

const rig = useClusterRig({
  what: "the proof-of-scale cluster test",
  telegram: true,
  tracks: { "short.wav": 1 },
});

const USERS = 4;
const PER_USER = 15;
const CREDIT = 20;

type Row = {
  public_id: string;
  status: string;
  attempts: number;
  worker_id: string | null;
  result_path: string | null;
  user_id: number;
};

describe.skipIf(rig.skip)("proof of scale: 1 api + 3 workers + bot/scheduler nodes (compiled binary)", () => {
  it("60 jobs over HTTP, a worker and the leader SIGKILLed: each job done once, one result, no orphan, no double charge", async () => {
    const t0 = performance.now();
    const c = await rig.cluster({ MM_BILLING: "on", MM_CRON_SWEEP: "* * * * * *" });
    const gate = rig.gate();
    const tg = rig.tg();
    const s3 = rig.s3();
    const track = rig.track("short.wav");
    const rows = () =>
      c
        .db()
        .all<Row>(
          "SELECT public_id, status, attempts, worker_id, result_path, user_id FROM jobs ORDER BY id",
        );
    const [api, lead1, w1] = await Promise.all([
      c.start("api", "api"),
      c.start("lead1", "bot,scheduler"),
      c.start("w1", "worker", { MM_FFMPEG: gate.ffmpeg }),
    ]);
    const tokens = await Promise.all(
      Array.from({ length: USERS }, (_, i) => proUser(c, api.url, `scale${i}@example.com`, CREDIT, "studio")),
    );
    // w1 alone claims the first job, which waits at its gate; the other two workers take the rest.
    const first = await submitAs(api.url, tokens[0] as string, track);
    await waitFor(
      () => gate.arrivals() && rows().find((r) => r.public_id === first.id)?.status === "running",
      {
        what: "the first job running on w1 at its gate",
        timeoutMs: 120_000,
      },
    );
    const w1Id = String(w1.events("node_registered")[0]?.node_id);
    const [w2, w3] = await Promise.all([c.start("w2", "worker"), c.start("w3", "worker")]);

    const jobs: ClusterJob[] = [first];
    await Promise.all(
      tokens.map(async (token, u) => {
        for (let i = u === 0 ? 1 : 0; i < PER_USER; i++) jobs.push(await submitAs(api.url, token, track));
      }),
    );
    expect(jobs).toHaveLength(USERS * PER_USER);
    const done = () => rows().filter((r) => r.status === "done").length;
    await waitFor(() => done() >= 10, { what: "10 jobs done", timeoutMs: 300_000, intervalMs: 200 });

    // SIGKILL of a worker mid-job: its job goes back to the queue once the node is dead.
    expect(rows().find((r) => r.public_id === first.id)).toMatchObject({
      status: "running",
      worker_id: w1Id,
    });
    await w1.kill();
    gate.killWaiting();

    // A second leader-capable node, then SIGKILL of the leader: it takes over polling and the crons.
    await waitFor(() => lead1.events("bot_started").length && lead1.events("cron_started").length, {
      what: "lead1 polling and running crons",
      timeoutMs: 120_000,
    });
    const lead2 = await c.start("lead2", "bot,scheduler");
    await lead2.waitLine((l) => l.event === "node_registered", "registered");
    const killedAt = Date.now();
    await lead1.kill();
    const took = await lead2.waitLine(
      (l) => l.event === "bot_started" && Date.parse(String(l.ts)) >= killedAt,
      "the bot started after the takeover",
    );
    await lead2.waitLine(
      (l) => l.event === "cron_started" && Date.parse(String(l.ts)) >= killedAt,
      "a cron run after the takeover",
    );
    const user = FakeTelegram.user(81_001, { lang: "en" });
    tg.userSendsText(user, "/help");
    const answer = await tg.waitFor(
      () => tg.callsOf("sendMessage").find((m) => Number(m.params.chat_id) === user.id),
      90_000,
      "the /help answer",
    );
    expect(answer.via).toBe("lead2");

    await waitFor(
      () => {
        const bad = rows().filter((r) => r.status === "failed" || r.status === "cancelled");
        if (bad.length) throw new Error(`jobs ended badly: ${JSON.stringify(bad)}`);
        return done() === jobs.length;
      },
      { what: "all 60 jobs done", timeoutMs: 900_000, intervalMs: 250, detail: () => done() },
    );
    const all = rows();
    expect(all).toHaveLength(jobs.length);
    expect(new Set(all.map((r) => r.public_id))).toEqual(new Set(jobs.map((j) => j.id)));
    expect(all.filter((r) => r.attempts !== 1).map((r) => [r.public_id, r.attempts])).toEqual([
      [first.id, 2],
    ]);
    const byWorker = new Map<string, number>();
    for (const r of all) byWorker.set(String(r.worker_id), (byWorker.get(String(r.worker_id)) ?? 0) + 1);
    expect(byWorker.has(w1Id)).toBe(false);
    for (const w of [w2, w3])
      expect(byWorker.get(String(w.events("node_registered")[0]?.node_id))).toBeGreaterThan(0);

    // One result object per job (its siblings aside) and nothing the rows do not name; uploads all gone.
    const names = new Set(all.map((r) => basename(String(r.result_path))));
    expect(names.size).toBe(jobs.length);
    const results = `${c.prefix}/results/`;
    await waitFor(async () => (await s3.keys(`${c.prefix}/uploads/`)).length === 0, {
      what: "every upload deleted from the bucket",
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const keys = await s3.keys(`${c.prefix}/`);
    const orphans = keys.filter((k) => {
      if (!k.startsWith(results)) return true;
      const name = k.slice(results.length);
      return !names.has(name) && ![...names].some((n) => name.startsWith(`${n}.`));
    });
    expect(orphans).toEqual([]);
    for (const n of names) expect(keys).toContain(`${results}${n}`);

    // The ledger: one charge per job, no refund, balance = credits − charges for every user.
    const charges = c
      .db()
      .all<{ ref: string; n: number; sum: number }>(
        "SELECT ref, COUNT(*)::int AS n, SUM(delta)::int AS sum FROM ledger WHERE reason = 'charge' GROUP BY ref",
      );
    expect(charges).toHaveLength(jobs.length);
    expect(charges.every((r) => r.n === 1 && r.sum === -1)).toBe(true);
    expect(new Set(charges.map((r) => r.ref))).toEqual(new Set(jobs.map((j) => j.id)));
    expect(c.db().all("SELECT * FROM ledger WHERE reason = 'refund'")).toEqual([]);
    const balances = c.db().all<{ email: string; sum: number; cached: number }>(
      `SELECT u.email, SUM(l.delta)::int AS sum, MAX(b.balance)::int AS cached
         FROM users u JOIN ledger l ON l.user_id = u.id LEFT JOIN ledger_balances b ON b.user_id = u.id
        WHERE u.email LIKE 'scale%' GROUP BY u.email ORDER BY u.email`,
    );
    expect(balances).toEqual(
      Array.from({ length: USERS }, (_, i) => ({
        email: `scale${i}@example.com`,
        sum: CREDIT - PER_USER,
        cached: CREDIT - PER_USER,
      })),
    );
    // Health: the api node lists the live worker nodes (not the killed one), lead2 says it leads both.
    type Health = { worker_nodes: { id: string }[] | null; node: { leads: string[] } | null };
    const health = async (url: string) => (await (await fetch(`${url}/api/health`)).json()) as Health;
    const workerIds = [w2, w3].map((w) => String(w.events("node_registered")[0]?.node_id));
    expect(new Set((await health(api.url)).worker_nodes?.map((n) => n.id))).toEqual(new Set(workerIds));
    expect((await health(lead2.url)).node?.leads.sort()).toEqual(["bot", "scheduler"]);
    expect(api.alive() && w2.alive() && w3.alive() && lead2.alive()).toBe(true);
    const unhandled = c.nodes.flatMap((n) => n.events("unhandled_error").map((l) => [n.name, l.msg]));
    expect(unhandled).toEqual([]);
    console.log(
      `scale: 60 jobs on 2 workers (+1 killed) in ${Math.round((performance.now() - t0) / 1000)} s; ` +
        `leader takeover ${Date.parse(String(took.ts)) - killedAt} ms after SIGKILL; per worker ${JSON.stringify([...byWorker.values()])}`,
    );
  }, 1_200_000);
});
