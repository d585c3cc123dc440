// The single-node path (SQLite, the compiled binary, the fake Bot API): the process is killed with
// SIGKILL while Telegram holds its sendDocument of a result (the fake's hold: an event, not a sleep), so
// the row is claimed by a process that is gone. The restarted process (a new node id, the one owner of the
// data folder) finds that claim due, sends the result and marks it sent: the user gets it exactly once
// (the held call was dropped unanswered); a further restart sends nothing again.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { openDb } from "../../src/db";
import { FakeTelegram } from "../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { submitThroughBot } from "./cluster-bot";
import { ensureBinary, type Served, serveBinary } from "./lib";

let tg: FakeTelegram;
let fx: string;
let track: string;
const started: Served[] = [];

beforeAll(async () => {
  await ensureBinary();
  tg = await FakeTelegram.start();
  fx = await tempDir("mm-e2e-delivery-restart-");
  track = await makeMusic(fx, { durationS: 2, name: "song.wav" });
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
  }, 240_000);
});
