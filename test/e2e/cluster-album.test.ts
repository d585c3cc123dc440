// An album's report is at least once across a bot leader's death (compiled binary, Postgres + S3, the
// fake Bot API), like a track's result: two tracks sent as one media group run as an album on a worker
// node; once both documents are delivered the leader claims the album report (bot_album_reports) and
// calls sendMessage, which the fake holds (an event, not a sleep); the leader is SIGKILLed there, so
// Telegram never completes it. The standby takes the bot lock, finds the claim of a node that is no longer
// live, claims it and sends the report: the user gets it once, and no track again.
import { describe, expect, it } from "bun:test";
import { type FakeCall, FakeTelegram } from "../fakes/telegram";
import { useClusterRig } from "../fixtures/cluster";
import { nodeIdOf, startLeaderPair, submitAlbumThroughBot, unhandled } from "./cluster-bot";

const rig = useClusterRig({
  what: "the cluster album report e2e test",
  telegram: true,
  tracks: { "a.wav": 2, "b.wav": 2 },
});

type AlbumRow = { state: string; claimed_by: string; attempts: number };
const isReport = (c: FakeCall) => String(c.params.text ?? "").includes("Album done");

describe.skipIf(rig.skip)("bot album report across a leader's death (compiled binary)", () => {
  it("the leader killed while Telegram holds the album report: the next leader sends it once", async () => {
    const t0 = performance.now();
    const c = await rig.cluster();
    const tg = rig.tg();
    const user = FakeTelegram.user(75_001, { lang: "en" });
    const { l1, l2 } = await startLeaderPair(c);
    const albumOf = (taskId: string) =>
      c.db().get<AlbumRow>(
        `SELECT r.state, r.claimed_by, r.attempts::int AS attempts FROM bot_album_reports r
          JOIN jobs j ON j.batch_id = r.batch_id WHERE j.public_id = $1`,
        [taskId],
      );

    const held = tg.hold("sendMessage", isReport);
    const ids = await submitAlbumThroughBot(tg, user, [rig.track("a.wav"), rig.track("b.wav")]);
    const call = await held.arrived;
    expect(call.via).toBe("l1");
    expect(tg.documentsTo(user.id)).toHaveLength(2);
    expect(albumOf(ids[0] ?? "")).toEqual({ state: "claimed", claimed_by: nodeIdOf(l1), attempts: 1 });

    const killedAt = Date.now();
    await l1.kill();
    expect(await held.settled).toBe("dropped");
    const reports = () => tg.textsTo(user.id).filter((t) => t.includes("Album done"));
    expect(reports()).toHaveLength(0);

    const text = await tg.waitFor(() => reports()[0], 120_000, "the album report from the next leader");
    console.log(`cluster-album: report sent by l2 ${Date.now() - killedAt} ms after SIGKILL of l1`);
    expect(text).toContain("Album done: 2 of 2 tracks");
    for (const id of ids) expect(text).toContain(`#${id}`);
    await l2.waitLine((l) => l.event === "bot_album_reported", "the album report settled");
    expect(albumOf(ids[0] ?? "")).toEqual({ state: "sent", claimed_by: nodeIdOf(l2), attempts: 2 });
    expect(
      tg
        .callsOf("sendMessage")
        .filter(isReport)
        .map((x) => [x.via, x.dropped ?? false]),
    ).toEqual([
      ["l1", true],
      ["l2", false],
    ]);
    expect(reports()).toHaveLength(1);
    expect(tg.documentsTo(user.id)).toHaveLength(2);
    expect(unhandled(c)).toEqual([]);
    console.log(`cluster-album: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);
});
