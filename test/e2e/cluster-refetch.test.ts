// Updates a leader fetched but never confirmed are fetched again by the next leader (Telegram's offset
// rule: an update stays pending until a getUpdates with a higher offset; the fake implements it), and the
// product handles the second copy without a second job. The user presses the format button; the leader
// fetches that update, inserts the job and edits the task message — the fake holds that edit and the
// leader's next getUpdates (the one whose offset would confirm the press), both events, no sleeps — and
// the leader is SIGKILLed there, before its session was saved or the press confirmed. The standby leads,
// gets the same update, and finds the job that update already made (a unique key on update_id): one job,
// the task message naming it, one result. Red before the key: a second job from the same press.
import { describe, expect, it } from "bun:test";
import { buttonsOf, FakeTelegram } from "../fakes/telegram";
import { useClusterRig } from "../fixtures/cluster";
import { startLeaderPair, unhandled } from "./cluster-bot";

const rig = useClusterRig({
  what: "the cluster refetch e2e test",
  telegram: true,
  tracks: { "song.wav": 2 },
});

const offsetOf = (params: Record<string, unknown>) => Number(params.offset ?? 0);

describe.skipIf(rig.skip)("unconfirmed updates across a leader's death (compiled binary)", () => {
  it("the leader killed before confirming the format press: the next leader gets it again and makes no second job", async () => {
    const t0 = performance.now();
    const c = await rig.cluster();
    const tg = rig.tg();
    const user = FakeTelegram.user(74_001, { lang: "en" });
    const { l1, l2 } = await startLeaderPair(c);

    tg.userSendsAudio(user, rig.track("song.wav"), { fileName: "song.wav", mime: "audio/wav" });
    const msg = await tg.waitFor(
      () => tg.messagesTo(user.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
      90_000,
      "style keyboard",
    );
    tg.userPressesButton(user, msg.message_id, "st:standard");
    await tg.waitFor(() => buttonsOf(msg).some((b) => b.callback_data === "fm:wav24"), 90_000, "formats");

    // The press and, held, the first edit after its job was inserted and the getUpdates confirming it.
    let pressId = Number.POSITIVE_INFINITY;
    const edit = tg.hold("editMessageText", (call) => /Task #/.test(String(call.params.text ?? "")));
    const confirm = tg.hold("getUpdates", (call) => call.via === "l1" && offsetOf(call.params) > pressId);
    tg.userPressesButton(user, msg.message_id, "fm:wav24");
    pressId = tg.lastUpdateId;
    const [edited] = await Promise.all([edit.arrived, confirm.arrived]);
    expect(edited.via).toBe("l1");
    const id = /Task #([A-Z0-9]{6})/.exec(String(edited.params.text))?.[1] ?? "";
    const jobs = () => c.db().all<{ public_id: string }>("SELECT public_id FROM jobs ORDER BY id");
    expect(jobs()).toEqual([{ public_id: id }]);
    expect(tg.pendingUpdates).toBe(1);

    await l1.kill();
    expect(await edit.settled).toBe("dropped");
    expect(await confirm.settled).toBe("dropped");

    // l2 leads and is given the press again (never confirmed); it handles it and confirms it.
    await tg.waitFor(
      () =>
        tg.calls.find(
          (call) => call.method === "getUpdates" && call.via === "l2" && offsetOf(call.params) > pressId,
        ),
      120_000,
      "l2 confirming the press",
    );
    const result = await tg.waitFor(() => tg.documentsTo(user.id)[0], 120_000, "the result");
    expect(result.caption ?? "").toContain(id);
    expect(jobs()).toEqual([{ public_id: id }]);
    expect(l2.events("bot_task_submitted")).toHaveLength(0);
    expect(l2.events("bot_update_replayed").map((l) => [l.update_id, l.task_id])).toEqual([[pressId, id]]);
    // The task message l1 never finished editing names the task (shown again by l2).
    expect(msg.text ?? "").toContain(id);
    expect(tg.documentsTo(user.id)).toHaveLength(1);
    expect(unhandled(c)).toEqual([]);
    console.log(`cluster-refetch: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);
});
