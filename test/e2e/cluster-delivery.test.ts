// Bot result delivery is at least once across a leader's death (compiled binary, Postgres + S3, the fake
// Bot API). A task submitted through the bot runs on a worker node; the leader claims its delivery and
// calls sendDocument, which the fake holds (an event, not a sleep); the leader is SIGKILLed while the call
// is held, so Telegram never completes it. The standby takes the bot lock, finds the claim of a node that
// is no longer live, claims it itself and sends the result: the user gets it. A duplicate is possible only
// when a leader dies after Telegram answered and before the row says sent — chosen over a lost result.
import { describe, expect, it } from "bun:test";
import { FakeTelegram } from "../fakes/telegram";
import { callersOf, useClusterRig } from "../fixtures/cluster";
import { deliveryOf, nodeIdOf, startLeaderPair, submitThroughBot, unhandled } from "./cluster-bot";

const rig = useClusterRig({
  what: "the cluster delivery e2e test",
  telegram: true,
  tracks: { "song.wav": 2 },
});

describe.skipIf(rig.skip)("bot delivery across a leader's death (compiled binary)", () => {
  it("the leader killed while Telegram holds its sendDocument: the next leader sends the result", async () => {
    const t0 = performance.now();
    const c = await rig.cluster();
    const tg = rig.tg();
    const user = FakeTelegram.user(72_001, { lang: "en" });
    const { l1, l2 } = await startLeaderPair(c);

    const held = tg.hold("sendDocument");
    const id = await submitThroughBot(tg, user, rig.track("song.wav"));
    const call = await held.arrived;
    expect(call.via).toBe("l1");
    expect(Number(call.params.chat_id)).toBe(user.id);
    expect(String(call.params.caption ?? "")).toContain(id);
    // Claimed by l1 (a lease), not sent: Telegram has not answered.
    expect(deliveryOf(c, id)).toMatchObject({
      status: "done",
      bot_delivery: "claimed",
      bot_delivery_by: nodeIdOf(l1),
      bot_delivery_attempts: 1,
    });

    const killedAt = Date.now();
    await l1.kill();
    expect(await held.settled).toBe("dropped");
    expect(tg.documentsTo(user.id)).toHaveLength(0);

    // l2 leads, sees l1's node go quiet, and sends the result itself.
    const doc = await tg.waitFor(
      () => tg.documentsTo(user.id)[0],
      120_000,
      "the result from the next leader",
    );
    console.log(`delivery: result sent by l2 ${Date.now() - killedAt} ms after SIGKILL of l1`);
    expect(doc.caption ?? "").toContain(id);
    expect(callersOf(tg, "sendDocument")).toEqual(["l1", "l2"]);
    await l2.waitLine((l) => l.event === "bot_task_delivered" && l.task_id === id, "the delivery settled");
    expect(deliveryOf(c, id)).toMatchObject({
      bot_delivery: "sent",
      bot_delivery_by: nodeIdOf(l2),
      bot_delivery_attempts: 2,
    });
    // The held call was dropped, so the user has exactly one copy here (at least one in general).
    expect(tg.documentsTo(user.id)).toHaveLength(1);
    expect(unhandled(c)).toEqual([]);
    console.log(`cluster-delivery: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);
});
