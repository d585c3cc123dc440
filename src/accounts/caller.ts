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
