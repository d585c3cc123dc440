// The cluster pieces on a real Postgres with real separate processes (node-child.ts): one leader per
// exclusive role, takeover after SIGKILL of the holder within 30 s, node rows beating and going dead, and
// job notes crossing between nodes over LISTEN/NOTIFY (never echoed to the sender).
import { afterEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { PgClient } from "../../../../src/db";
import { createPgNodeStore } from "../../../../src/ops/cluster";
import { postgresMissing, usePostgres } from "../../../fixtures/postgres";
import { waitFor } from "../../../fixtures/wait";

const skip = postgresMissing("the cluster tests (leaders, nodes, relay)");
const server = usePostgres(skip);
const CHILD = join(import.meta.dir, "node-child.ts");

type Event = { ev: string; role?: string; publicId?: string; type?: string };
type Node = {
  id: string;
  proc: Bun.Subprocess<"pipe", "pipe", "inherit">;
  events: Event[];
  send(line: string): void;
};

const children: Node[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.proc.kill("SIGKILL");
});

function spawnNode(url: string, id: string, deadMs = 3000): Node {
  const proc = Bun.spawn(["bun", CHILD, url, id, String(deadMs)], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const events: Event[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of proc.stdout) {
      buf += decoder.decode(chunk);
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        events.push(JSON.parse(buf.slice(0, i)) as Event);
        buf = buf.slice(i + 1);
      }
    }
  })();
  const node: Node = {
    id,
    proc,
    events,
    send(line) {
      proc.stdin.write(`${line}\n`);
      proc.stdin.flush();
    },
  };
  children.push(node);
  return node;
}

/** Whether `n` leads `role` now, from its own events (the last acquire/release wins). */
const leads = (n: Node, role: string) =>
  n.events.filter((e) => e.role === role && (e.ev === "acquired" || e.ev === "released")).at(-1)?.ev ===
  "acquired";

/** Sessions holding the leader locks (classid "MM"), from the server's own lock table. */
const lockHolders = (pg: PgClient) =>
  pg.all<{ objid: number; n: number }>(
    `SELECT objid::int AS objid, count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND classid = ${0x4d4d} AND objsubid = 2 AND granted GROUP BY objid ORDER BY objid`,
  );

describe.skipIf(skip)("cluster on Postgres (separate processes)", () => {
  it("elects one bot and one scheduler leader; SIGKILL of the holder → another node leads within 30 s", async () => {
    const url = server().freshDatabase();
    const pg = PgClient.connect(url);
    try {
      const nodes = [spawnNode(url, "node-a"), spawnNode(url, "node-b"), spawnNode(url, "node-c")];
      await waitFor(() => nodes.every((n) => n.events.some((e) => e.ev === "ready")), {
        what: "three nodes ready",
        timeoutMs: 60_000,
      });
      const holderOf = (role: string) =>
        waitFor(
          () => {
            const h = nodes.filter((n) => n.proc.exitCode === null && !n.proc.killed && leads(n, role));
            return h.length === 1 && h[0];
          },
          { what: `exactly one ${role} leader`, timeoutMs: 60_000, detail: () => nodes.map((n) => n.events) },
        );
      const bot = await holderOf("bot");
      const sched = await holderOf("scheduler");
      // One session per lock on the server, however many nodes compete.
      expect(lockHolders(pg)).toEqual([
        { objid: 1, n: 1 },
        { objid: 2, n: 1 },
      ]);
      // Two beats later (the retry runs as often), still the same leaders: nobody steals a held lock.
      const store = createPgNodeStore(pg);
      const t0 = Math.max(...store.live(0).map((r) => r.heartbeatAt));
      await waitFor(() => store.live(0).every((r) => r.heartbeatAt > t0 + 1000), {
        what: "every node beating twice more",
        timeoutMs: 30_000,
      });
      expect(nodes.filter((n) => leads(n, "scheduler"))).toEqual([sched]);
      expect(nodes.filter((n) => leads(n, "bot"))).toEqual([bot]);

      sched.proc.kill("SIGKILL");
      const killedAt = performance.now();
      await sched.proc.exited;
      const next = await waitFor(() => nodes.find((n) => n !== sched && leads(n, "scheduler")), {
        what: "another scheduler leader",
        timeoutMs: 30_000,
        detail: () => nodes.map((n) => n.events),
      });
      const tookMs = performance.now() - killedAt;
      console.log(`scheduler takeover after SIGKILL: ${Math.round(tookMs)} ms`);
      expect(tookMs).toBeLessThan(30_000);
      expect(next).not.toBe(sched);
      if (bot === sched)
        await waitFor(() => nodes.find((n) => n !== sched && leads(n, "bot")), {
          what: "another bot leader",
          timeoutMs: 30_000,
        });
      expect(nodes.filter((n) => n !== sched && leads(n, "scheduler"))).toHaveLength(1);
      await waitFor(() => lockHolders(pg).length === 2, { what: "both locks held again" });
      expect(lockHolders(pg).map((r) => r.n)).toEqual([1, 1]);
    } finally {
      pg.close();
    }
  }, 180_000);

  it("a graceful stop hands the lock over and deletes the node row; a killed node goes dead after the interval", async () => {
    const url = server().freshDatabase();
    const pg = PgClient.connect(url);
    const store = createPgNodeStore(pg);
    try {
      const a = spawnNode(url, "node-a", 3000);
      await waitFor(() => leads(a, "scheduler"), { what: "node-a leading", timeoutMs: 60_000 });
      const b = spawnNode(url, "node-b", 3000);
      await waitFor(() => b.events.some((e) => e.ev === "ready"), {
        what: "node-b ready",
        timeoutMs: 60_000,
      });
      const ids = () => store.live(Date.now() - 3000).map((r) => r.id);
      await waitFor(() => ids().length === 2, { what: "two live nodes", detail: ids });
      expect(store.live(0).find((r) => r.id === "node-a")?.leads).toBe("bot,scheduler");
      a.send("stop");
      await waitFor(() => a.events.some((e) => e.ev === "stopped"), { what: "node-a stopped" });
      await waitFor(() => leads(b, "scheduler") && leads(b, "bot"), {
        what: "node-b leading",
        timeoutMs: 30_000,
      });
      // Gone at once, not after the dead interval.
      expect(store.live(0).map((r) => r.id)).toEqual(["node-b"]);
      b.proc.kill("SIGKILL");
      await b.proc.exited;
      // The row stays (nobody deletes it) but stops beating: dead once 3 s have passed without a beat.
      await waitFor(() => ids().length === 0, {
        what: "node-b counted dead",
        timeoutMs: 30_000,
        detail: ids,
      });
      expect(store.live(0).map((r) => r.id)).toEqual(["node-b"]);
    } finally {
      pg.close();
    }
  }, 180_000);

  it("a job note reaches every other node over LISTEN/NOTIFY, never the sender", async () => {
    const url = server().freshDatabase();
    const [a, b, c] = [spawnNode(url, "node-a"), spawnNode(url, "node-b"), spawnNode(url, "node-c")];
    await waitFor(() => [a, b, c].every((n) => n.events.some((e) => e.ev === "ready")), {
      what: "three nodes listening",
      timeoutMs: 60_000,
    });
    a.send("send J1 progress");
    a.send("send J1 state");
    const notes = (n: Node) => n.events.filter((e) => e.ev === "note").map((e) => `${e.publicId}:${e.type}`);
    for (const n of [b, c])
      await waitFor(() => notes(n).length === 2, {
        what: `${n.id} receiving both notes`,
        detail: () => notes(n),
      });
    // In the order sent.
    expect(notes(b)).toEqual(["J1:progress", "J1:state"]);
    expect(notes(c)).toEqual(["J1:progress", "J1:state"]);
    // b answers; a sees it, so a's own notes were not filtered by a deaf listener.
    b.send("send J2 state");
    await waitFor(() => notes(a).includes("J2:state"), { what: "node-a receiving node-b's note" });
    expect(notes(a)).toEqual(["J2:state"]);
  }, 120_000);
});
