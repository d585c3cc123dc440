// The single-node path (SQLite, the compiled binary, the fake Bot API): the process is killed with
// SIGKILL while Telegram holds its sendDocument of a result (the fake's hold: an event, not a sleep), so
// the row is claimed by a process that is gone. The restarted process (a new node id, the one owner of the
// data folder) finds that claim due, sends the result and marks it sent: the user gets it exactly once
// (the held call was dropped unanswered); a further restart sends nothing again. The same for an album's
// report (bot_album_reports): killed while Telegram holds it, after every track was delivered, the
// restarted process sends the report once and no track again.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { openDb } from "../../src/db";
import { FakeTelegram } from "../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { submitAlbumThroughBot, submitThroughBot } from "./cluster-bot";
import { ensureBinary, type Served, serveBinary } from "./lib";

let tg: FakeTelegram;
let fx: string;
let track: string;
let side: string[];
const started: Served[] = [];

beforeAll(async () => {
  await ensureBinary();
  tg = await FakeTelegram.start();
  fx = await tempDir("mm-e2e-delivery-restart-");
  track = await makeMusic(fx, { durationS: 2, name: "song.wav" });
  side = [
    await makeMusic(fx, { durationS: 2, name: "a.wav" }),
    await makeMusic(fx, { durationS: 2, name: "b.wav" }),
  ];
}, 180_000);
afterAll(async () => {
  for (const s of started) if (s.proc.exitCode === null) s.proc.kill("SIGKILL");
  await tg.stop();
  await cleanup(fx);
});

const serve = async (dir: string, tag: string): Promise<Served> => {
  const s = await serveBinary({
    MM_DATA_DIR: dir,
    MM_HOST: "127.0.0.1",
    MM_BOT_TOKEN: tg.token,
    MM_TELEGRAM_API_ROOT: tg.apiRootFor(tag),
    MM_LOG_LEVEL: "info",
  });
  started.push(s);
  return s;
};

type Delivery = { bot_delivery: string; bot_delivery_by: string; bot_delivery_attempts: number };
const deliveryOf = (dir: string, id: string) => {
  const h = openDb(join(dir, "magic-master.db"));
  try {
    return h.sqlite
      .query<Delivery, [string]>(
        "SELECT bot_delivery, bot_delivery_by, bot_delivery_attempts FROM jobs WHERE public_id = ?1",
      )
      .get(id);
  } finally {
    h.sqlite.close();
  }
};

type AlbumRow = { state: string; claimed_by: string; attempts: number };
const albumOf = (dir: string, taskId: string) => {
  const h = openDb(join(dir, "magic-master.db"));
  try {
    return h.sqlite
      .query<AlbumRow, [string]>(
        `SELECT r.state, r.claimed_by, r.attempts FROM bot_album_reports r
          JOIN jobs j ON j.batch_id = r.batch_id WHERE j.public_id = ?1`,
      )
      .get(taskId);
  } finally {
    h.sqlite.close();
  }
};

const waitLine = (s: Served, pred: (l: Record<string, unknown>) => boolean, what: string) =>
  tg.waitFor(() => s.lines().find(pred), 90_000, what);

describe("bot delivery across a restart (SQLite, compiled binary)", () => {
  it("killed between the claim and Telegram's answer: the restarted process sends the result, exactly once", async () => {
    const t0 = performance.now();
    const dir = join(fx, "data");
    const user = FakeTelegram.user(73_001, { lang: "en" });
    const p1 = await serve(dir, "p1");
    const held = tg.hold("sendDocument");
    const id = await submitThroughBot(tg, user, track);
    const call = await held.arrived;
    expect(call.via).toBe("p1");
    expect(String(call.params.caption ?? "")).toContain(id);
    expect(deliveryOf(dir, id)).toMatchObject({ bot_delivery: "claimed", bot_delivery_attempts: 1 });
    const p1Node = deliveryOf(dir, id)?.bot_delivery_by;

    p1.proc.kill("SIGKILL");
    await p1.proc.exited;
    expect(await held.settled).toBe("dropped");
    expect(tg.documentsTo(user.id)).toHaveLength(0);

    const p2 = await serve(dir, "p2");
    const doc = await tg.waitFor(() => tg.documentsTo(user.id)[0], 90_000, "the result after the restart");
    expect(doc.caption ?? "").toContain(id);
    await waitLine(p2, (l) => l.event === "bot_task_delivered" && l.task_id === id, "the delivery settled");
    const row = deliveryOf(dir, id);
    expect(row).toMatchObject({ bot_delivery: "sent", bot_delivery_attempts: 2 });
    expect(row?.bot_delivery_by).not.toBe(p1Node);

    // Sent is final: another restart's catch-up finds nothing owed.
    p2.proc.kill("SIGTERM");
    await p2.proc.exited;
    const p3 = await serve(dir, "p3");
    const caught = await waitLine(p3, (l) => l.event === "bot_deliveries_caught_up", "p3's catch-up");
    expect(caught.due).toBe(0);
    expect(tg.documentsTo(user.id)).toHaveLength(1);
    expect(tg.callsOf("sendDocument").map((c) => [c.via, c.dropped ?? false])).toEqual([
      ["p1", true],
      ["p2", false],
    ]);
    console.log(`bot-delivery-restart: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // One poller per bot token: the next test's process must be the only one.
    p3.proc.kill("SIGTERM");
    await p3.proc.exited;
  }, 240_000);

  it("killed while Telegram holds an album's report: the restarted process sends the report once, no track again", async () => {
    const dir = join(fx, "album-data");
    const user = FakeTelegram.user(73_002, { lang: "en" });
    const isReport = (c: { params: Record<string, unknown> }) =>
      String(c.params.text ?? "").includes("Album done");
    const p1 = await serve(dir, "a1");
    const held = tg.hold("sendMessage", isReport);
    const ids = await submitAlbumThroughBot(tg, user, side);
    const call = await held.arrived;
    expect(call.via).toBe("a1");
    // The report comes only after every track's result was delivered.
    expect(tg.documentsTo(user.id)).toHaveLength(2);
    expect(albumOf(dir, ids[0] ?? "")).toMatchObject({ state: "claimed", attempts: 1 });
    const p1Node = albumOf(dir, ids[0] ?? "")?.claimed_by;

    p1.proc.kill("SIGKILL");
    await p1.proc.exited;
    expect(await held.settled).toBe("dropped");
    const reports = () => tg.textsTo(user.id).filter((t) => t.includes("Album done"));
    expect(reports()).toHaveLength(0);

    const p2 = await serve(dir, "a2");
    const text = await tg.waitFor(() => reports()[0], 90_000, "the album report after the restart");
    expect(text).toContain("Album done: 2 of 2 tracks");
    for (const id of ids) expect(text).toContain(`#${id}`);
    await waitLine(p2, (l) => l.event === "bot_album_reported", "the album report settled");
    const row = albumOf(dir, ids[0] ?? "");
    expect(row).toMatchObject({ state: "sent", attempts: 2 });
    expect(row?.claimed_by).not.toBe(p1Node);
    expect(tg.documentsTo(user.id)).toHaveLength(2);

    p2.proc.kill("SIGTERM");
    await p2.proc.exited;
    const p3 = await serve(dir, "a3");
    const caught = await waitLine(p3, (l) => l.event === "bot_deliveries_caught_up", "a3's catch-up");
    expect(caught.due).toBe(0);
    expect(reports()).toHaveLength(1);
    expect(
      tg
        .callsOf("sendMessage")
        .filter(isReport)
        .map((c) => [c.via, c.dropped ?? false]),
    ).toEqual([
      ["a1", true],
      ["a2", false],
    ]);
  }, 300_000);
});
