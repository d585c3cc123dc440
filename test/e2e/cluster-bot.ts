// Bot helpers for the cluster e2e files (a user talking to whichever node leads the bot, through the
// fake Bot API): who leads, who answered, a task submitted through the bot's steps, a node's row.
import { buttonsOf, type FakeTelegram, type FakeUser } from "../fakes/telegram";
import type { Cluster, ClusterNode } from "../fixtures/cluster";
import { waitFor } from "../fixtures/wait";

/** `n` holds the leader lock of `role` now (acquired more often than lost, by its log). */
export const leads = (n: ClusterNode, role: string) =>
  n.events("leader_acquired").filter((l) => l.role === role).length >
  n.events("leader_lost").filter((l) => l.role === role).length;

/** The node id `n` registered with (its claims and bot deliveries carry it). */
export const nodeIdOf = (n: ClusterNode) =>
  String(n.lines().find((l) => l.event === "node_registered")?.node_id ?? "");

/**
 * A worker node "w", then "l1" leading the bot (its lock held and polling) and "l2" registered as its
 * standby, both with the bot and scheduler roles: the rig of the leader-death tests.
 */
export async function startLeaderPair(c: Cluster): Promise<{ l1: ClusterNode; l2: ClusterNode }> {
  await c.start("w", "worker");
  const l1 = await c.start("l1", "bot,scheduler");
  await waitFor(() => leads(l1, "bot") && l1.events("bot_started").length > 0, {
    what: "l1 to lead the bot",
    timeoutMs: 90_000,
  });
  const l2 = await c.start("l2", "bot,scheduler");
  await l2.waitLine((l) => l.event === "node_registered", "registered");
  return { l1, l2 };
}

/** The user sends /help; resolves with the node that answered it (the fake's `via`). */
export async function answeredBy(tg: FakeTelegram, user: FakeUser): Promise<string> {
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

/** Sends `track`, picks a style and a format; resolves with the queued task's id. */
export async function submitThroughBot(tg: FakeTelegram, user: FakeUser, track: string): Promise<string> {
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

/** Sends `tracks` as one media group, takes "Album", a style and a format; resolves with the task ids. */
export async function submitAlbumThroughBot(
  tg: FakeTelegram,
  user: FakeUser,
  tracks: readonly string[],
): Promise<string[]> {
  tracks.forEach((t, i) => {
    tg.userSendsAudio(user, t, {
      fileName: `Track ${i + 1}.wav`,
      mime: "audio/wav",
      mediaGroupId: `mg-${user.id}`,
    });
  });
  const has = (m: { message_id: number } & Parameters<typeof buttonsOf>[0], data: string) =>
    buttonsOf(m).some((b) => b.callback_data === data);
  const msg = await tg.waitFor(
    () =>
      tg
        .messagesTo(user.id)
        .find((m) => has(m, "ga") && m.text?.includes(`Files received: ${tracks.length}`)),
    90_000,
    "the group message",
  );
  tg.userPressesButton(user, msg.message_id, "ga");
  await tg.waitFor(() => has(msg, "st:standard"), 90_000, "style keyboard");
  tg.userPressesButton(user, msg.message_id, "st:standard");
  await tg.waitFor(() => has(msg, "fm:wav24"), 90_000, "formats");
  tg.userPressesButton(user, msg.message_id, "fm:wav24");
  const ids = () =>
    tg
      .messagesTo(user.id)
      .map((m) => /Task #([A-Z0-9]{6})/.exec([...m.history, m.text ?? ""].join("\n"))?.[1])
      .filter((x): x is string => x !== undefined);
  return tg.waitFor(() => (ids().length === tracks.length ? ids() : null), 90_000, "the task ids");
}

export type DeliveryRow = {
  public_id: string;
  status: string;
  bot_delivery: string | null;
  bot_delivery_by: string | null;
  bot_delivery_attempts: number;
};

/** The job's row with its bot delivery columns. */
export const deliveryOf = (c: Cluster, id: string) =>
  c.db().get<DeliveryRow>(
    `SELECT public_id, status, bot_delivery, bot_delivery_by, bot_delivery_attempts::int AS bot_delivery_attempts
         FROM jobs WHERE public_id = $1`,
    [id],
  );

/** Errors nobody handled, on any node (each one a bug). */
export const unhandled = (c: Cluster) =>
  c.nodes.flatMap((n) => n.events("unhandled_error").map((l) => [n.name, l.msg]));
