// Who is asking: the one shape every route and the limit checks read (agreed in ISSUE11.md).

export type Caller =
  | { kind: "guest"; ip: string; ownerKey: string }
  | {
      kind: "user";
      userId: number;
      tier: string;
      isAdmin: boolean;
      via: "session" | "api_key" | "bot";
      ownerKey: string;
    };

export const guestCaller = (ip: string): Caller => ({ kind: "guest", ip, ownerKey: `ip:${ip}` });
export const userOwnerKey = (userId: number): string => `user:${userId}`;

/** Owner key of a user's jobs: a web account's ("user:<id>"), or a Telegram-only user's ("tg:<id>"). */
export function ownerKeyOfUser(u: { id: number; email: string | null; telegramId: string | null }): string {
  return u.email === null && u.telegramId !== null ? `tg:${u.telegramId}` : userOwnerKey(u.id);
}

/** The caller a Telegram message is from: its user row (a linked web account after /link). */
export const botCaller = (u: {
  id: number;
  email: string | null;
  telegramId: string | null;
  tier: string;
  isAdmin: boolean;
}): Caller => ({
  kind: "user",
  userId: u.id,
  tier: u.tier,
  isAdmin: u.isAdmin,
  via: "bot",
  ownerKey: ownerKeyOfUser(u),
});
