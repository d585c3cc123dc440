// Bot and scheduler leaders across compiled `serve --role bot,scheduler` processes on one Postgres
// (advisory locks), and the bot's durable delivery. One node polls the fake Bot API and runs the crons
// while another stands by; SIGKILL of the holder → the other polls and runs the crons. A job submitted
// through the bot runs on a worker node (held at a gate); both bot nodes are killed, the job finishes
// while no node leads, and the next bot leader sends the result — once, also across a further takeover;
// a later job finished on the worker node reaches the new leader live (LISTEN/NOTIFY) and is sent once.
import { describe, expect, it } from "bun:test";
import { FakeTelegram } from "../fakes/telegram";
import { type ClusterNode, callersOf, useClusterRig } from "../fixtures/cluster";
import { waitFor } from "../fixtures/wait";
import { answeredBy, leads, submitThroughBot, unhandled } from "./cluster-bot";

const rig = useClusterRig({ what: "the cluster leader e2e test", telegram: true, tracks: { "song.wav": 2 } });

/** A cron run on `n` that started after `since` (MM_CRON_SWEEP runs every second). */
const cronRunAfter = (n: ClusterNode, since: number) =>
  n.waitLine((l) => l.event === "cron_started" && Date.parse(String(l.ts)) >= since, "a cron run");

describe.skipIf(rig.skip)("bot and scheduler leaders across serve processes (compiled binary)", () => {
  it("one leader polls and runs crons; SIGKILL → the other takes over; a result finished leaderless is delivered once", async () => {
    const c = await rig.cluster({ MM_CRON_SWEEP: "* * * * * *" });
    const tg = rig.tg();
    const gate = rig.gate();
    const track = rig.track("song.wav");
    const user = FakeTelegram.user(71_001, { lang: "en" });
    const row = (id: string) =>
      c
        .db()
        .get<{ status: string; worker_id: string | null }>(
          "SELECT status, worker_id FROM jobs WHERE public_id = $1",
          [id],
        );

    const worker = await c.start("w", "worker", { MM_FFMPEG: gate.ffmpeg });
    const l1 = await c.start("l1", "bot,scheduler");
    await waitFor(() => leads(l1, "bot") && leads(l1, "scheduler") && l1.events("bot_started").length, {
      what: "l1 to lead bot and scheduler",
      timeoutMs: 90_000,
    });
    const l2 = await c.start("l2", "bot,scheduler");
    await l2.waitLine((l) => l.event === "node_registered", "registered");

    // Exactly one poller and one cron runner while both stand.
    for (let i = 0; i < 3; i++) expect(await answeredBy(tg, user)).toBe("l1");
    await cronRunAfter(l1, Date.now());
    const id = await submitThroughBot(tg, user, track);
    await waitFor(() => gate.arrivals() && row(id)?.status === "running", {
      what: `job ${id} running at the worker's gate`,
      timeoutMs: 90_000,
    });
    expect(new Set(callersOf(tg, "getUpdates"))).toEqual(new Set(["l1"]));
    expect(l2.events("cron_started")).toHaveLength(0);
    expect(leads(l2, "bot") || leads(l2, "scheduler")).toBe(false);

    // SIGKILL of the holder: the standby takes both locks, polls and runs the crons.
    const killedAt = Date.now();
    await l1.kill();
    const got = await l2.waitLine(
      (l) => l.event === "bot_started" && Date.parse(String(l.ts)) >= killedAt,
      "the bot started after the takeover",
    );
    console.log(
      `takeover: bot polling on l2 ${Date.parse(String(got.ts)) - killedAt} ms after SIGKILL of l1`,
    );
    expect(await answeredBy(tg, user)).toBe("l2");
    await cronRunAfter(l2, killedAt);
    expect(leads(l2, "scheduler")).toBe(true);

    // No bot node at all while the job finishes: nobody hears its "done".
    await l2.kill();
    gate.open();
    await waitFor(() => row(id)?.status === "done", { what: `job ${id} done`, timeoutMs: 180_000 });
    expect(tg.documentsTo(user.id)).toHaveLength(0);

    // The next leader finds the result nobody sent and sends it, once.
    const l3 = await c.start("l3", "bot,scheduler");
    const doc = await tg.waitFor(() => tg.documentsTo(user.id)[0], 90_000, "the result document");
    expect(doc.caption ?? "").toContain(id);
    expect(callersOf(tg, "sendDocument")).toEqual(["l3"]);
    // Sent on the row once Telegram answered: a kill before that would send it again (at least once).
    await l3.waitLine((l) => l.event === "bot_task_delivered" && l.task_id === id, "the delivery settled");

    // A further takeover (l4 standing by, l3 killed) does not send it again.
    const l4 = await c.start("l4", "bot,scheduler");
    await l4.waitLine((l) => l.event === "node_registered", "registered");
    const killed3 = Date.now();
    await l3.kill();
    await l4.waitLine(
      (l) => l.event === "bot_started" && Date.parse(String(l.ts)) >= killed3,
      "the bot started after the second takeover",
    );
    expect(await answeredBy(tg, user)).toBe("l4");
    await l4.waitLine((l) => l.event === "bot_deliveries_caught_up", "its catch-up pass");
    expect(tg.documentsTo(user.id)).toHaveLength(1);

    // The live path across nodes: a job the worker node finishes reaches the leader (LISTEN/NOTIFY) and
    // is sent at once, by it alone.
    const id2 = await submitThroughBot(tg, user, track);
    const doc2 = await tg.waitFor(() => tg.documentsTo(user.id)[1], 180_000, "the second result");
    expect(doc2.caption ?? "").toContain(id2);
    expect(callersOf(tg, "sendDocument")).toEqual(["l3", "l4"]);
    // The row says sent once Telegram answered (just after the document arrived).
    await l4.waitLine(
      (l) => l.event === "bot_task_delivered" && l.task_id === id2,
      "the second delivery settled",
    );
    const sent = c
      .db()
      .all<{ public_id: string; bot_delivery: string }>(
        "SELECT public_id, bot_delivery FROM jobs ORDER BY id",
      );
    expect(sent).toEqual([
      { public_id: id, bot_delivery: "sent" },
      { public_id: id2, bot_delivery: "sent" },
    ]);
    expect(worker.alive()).toBe(true);
    expect(unhandled(c)).toEqual([]);
  }, 600_000);
});
