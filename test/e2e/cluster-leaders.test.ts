// Bot and scheduler leaders across compiled `serve --role bot,scheduler` processes on one Postgres
// (advisory locks), and the bot's durable delivery. One node polls the fake Bot API and runs the crons
// while another stands by; SIGKILL of the holder → the other polls and runs the crons. A job submitted
// through the bot runs on a worker node (held at a gate); both bot nodes are killed, the job finishes
// while no node leads, and the next bot leader sends the result — once, also across a further takeover;
// a later job finished on the worker node reaches the new leader live (LISTEN/NOTIFY) and is sent once.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { buttonsOf, FakeTelegram, type FakeUser } from "../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { type Cluster, type ClusterNode, callersOf, startCluster } from "../fixtures/cluster";
import { postgresMissing, usePostgres } from "../fixtures/postgres";
import { type S3Server, startS3 } from "../fixtures/s3";
import { waitFor } from "../fixtures/wait";
import { type Gate, gatedFfmpeg } from "./gated-ffmpeg";
import { ensureBinary } from "./lib";

const skip = postgresMissing("the cluster leader e2e test");
const server = usePostgres(skip);
let s3: S3Server;
let tg: FakeTelegram;
let fx: string;
let track: string;
let cluster: Cluster | undefined;
let gate: Gate | undefined;

beforeAll(async () => {
  await ensureBinary();
  if (skip) return;
  s3 = await startS3();
  tg = await FakeTelegram.start();
  fx = await tempDir("mm-e2e-leaders-");
  track = await makeMusic(fx, { durationS: 2, name: "song.wav" });
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  gate?.killWaiting();
  await tg?.stop();
  await s3?.stop();
  if (fx) await cleanup(fx);
});

const leads = (n: ClusterNode, role: string) =>
  n.events("leader_acquired").filter((l) => l.role === role).length >
  n.events("leader_lost").filter((l) => l.role === role).length;

/** The user sends /help; resolves with the node that answered it (the fake's `via`). */
async function answeredBy(user: FakeUser): Promise<string> {
  const before = tg.callsOf("sendMessage").length;
  tg.userSendsText(user, "/help");
  const call = await tg.waitFor(
    () =>
      tg
        .callsOf("sendMessage")
        .slice(before)
        .find((c) => Number(c.params.chat_id) === user.id),
    90_000,
    "the /help answer",
  );
  return call.via ?? "?";
}

/** A cron run on `n` that started after `since` (MM_CRON_SWEEP runs every second). */
const cronRunAfter = (n: ClusterNode, since: number) =>
  n.waitLine((l) => l.event === "cron_started" && Date.parse(String(l.ts)) >= since, "a cron run");

/** Sends the track, picks a style and a format; resolves with the queued task's id. */
async function submitThroughBot(user: FakeUser): Promise<string> {
  tg.userSendsAudio(user, track, { fileName: "song.wav", mime: "audio/wav" });
  const msg = await tg.waitFor(
    () => tg.messagesTo(user.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
    90_000,
    "style keyboard",
  );
  tg.userPressesButton(user, msg.message_id, "st:standard");
  await tg.waitFor(() => buttonsOf(msg).some((b) => b.callback_data === "fm:wav24"), 90_000, "formats");
  tg.userPressesButton(user, msg.message_id, "fm:wav24");
  const m = await tg.waitFor(() => /Task #([A-Z0-9]{6})/.exec(msg.text ?? ""), 90_000, "the task id");
  return m[1] ?? "";
}

describe.skipIf(skip)("bot and scheduler leaders across serve processes (compiled binary)", () => {
  it("one leader polls and runs crons; SIGKILL → the other takes over; a result finished leaderless is delivered once", async () => {
    const c = await startCluster({ pg: server(), s3, tg, env: { MM_CRON_SWEEP: "* * * * * *" } });
    cluster = c;
    gate = gatedFfmpeg();
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
    for (let i = 0; i < 3; i++) expect(await answeredBy(user)).toBe("l1");
    await cronRunAfter(l1, Date.now());
    const id = await submitThroughBot(user);
    await waitFor(() => gate?.arrivals() && row(id)?.status === "running", {
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
    expect(await answeredBy(user)).toBe("l2");
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

    // A further takeover (l4 standing by, l3 killed) does not send it again.
    const l4 = await c.start("l4", "bot,scheduler");
    await l4.waitLine((l) => l.event === "node_registered", "registered");
    const killed3 = Date.now();
    await l3.kill();
    await l4.waitLine(
      (l) => l.event === "bot_started" && Date.parse(String(l.ts)) >= killed3,
      "the bot started after the second takeover",
    );
    expect(await answeredBy(user)).toBe("l4");
    await l4.waitLine((l) => l.event === "bot_deliveries_caught_up", "its catch-up pass");
    expect(tg.documentsTo(user.id)).toHaveLength(1);

    // The live path across nodes: a job the worker node finishes reaches the leader (LISTEN/NOTIFY) and
    // is sent at once, by it alone.
    const id2 = await submitThroughBot(user);
    const doc2 = await tg.waitFor(() => tg.documentsTo(user.id)[1], 180_000, "the second result");
    expect(doc2.caption ?? "").toContain(id2);
    expect(callersOf(tg, "sendDocument")).toEqual(["l3", "l4"]);
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
    expect(c.nodes.flatMap((n) => n.events("unhandled_error").map((l) => [n.name, l.msg]))).toEqual([]);
  }, 600_000);
});
