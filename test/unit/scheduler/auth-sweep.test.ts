// The auth_sweep task deletes sign-in sessions past their expiry at the task's clock (injected), through
// the accounts sign-in service (reset/verify tokens too), and leaves live ones; a swept session no longer signs in (it never did).
import { describe, expect, it } from "bun:test";
import { createAuth, createSqliteAccountStores } from "../../../src/accounts";
import { createScheduler, TASKS } from "../../../src/scheduler";
import { DAY, MIN, makeEnv, NOW } from "./helpers";

const task = TASKS.find((t) => t.name === "auth_sweep");

describe("auth_sweep task", () => {
  it("deletes the sessions expired at the injected clock and keeps the live ones", async () => {
    const e = makeEnv();
    const store = createSqliteAccountStores(e.dbh).auth;
    const user = store.createUser("sweep@example.com", "x", NOW.getTime() - DAY);
    if (!user || !task) throw new Error("set-up");
    const at = NOW.getTime();
    const session = (hash: string, expiresAt: number) =>
      store.insertSession({
        tokenHash: hash,
        userId: user.id,
        createdAt: at - DAY,
        expiresAt,
        ip: null,
        userAgent: null,
      });
    session("long-gone", at - DAY);
    session("just-expired", at);
    session("live", at + MIN);
    expect(await task.run(e.deps())).toEqual({ sessions_deleted: 2, email_tokens_deleted: 0 });
    expect(store.sessionUser("live", at)?.user.id).toBe(user.id);
    expect(e.dbh.sqlite.query("select token_hash from sessions").all()).toEqual([{ token_hash: "live" }]);
    // A later clock: the live one expires in turn; a second run then has nothing left to do.
    expect(await task.run(e.deps({ now: () => new Date(at + MIN) }))).toEqual({
      sessions_deleted: 1,
      email_tokens_deleted: 0,
    });
    expect(await task.run(e.deps({ now: () => new Date(at + MIN) }))).toEqual({
      sessions_deleted: 0,
      email_tokens_deleted: 0,
    });
  });

  it("deletes reset and verification tokens past their expiry, used or not, and keeps the live ones", async () => {
    const e = makeEnv();
    const users = createSqliteAccountStores(e.dbh).auth;
    const tokens = createSqliteAccountStores(e.dbh).emailTokens;
    const user = users.createUser("tokens@example.com", "x", NOW.getTime() - DAY);
    if (!user || !task) throw new Error("set-up");
    const at = NOW.getTime();
    const token = (tokenHash: string, kind: "verify" | "reset", expiresAt: number) =>
      tokens.insert({ userId: user.id, kind, tokenHash, now: at - DAY, expiresAt });
    token("old-reset", "reset", at - MIN);
    token("old-verify", "verify", at - DAY);
    token("used-live", "reset", at + DAY);
    token("live-verify", "verify", at + DAY);
    expect(tokens.consume("used-live", "reset", at)).toBe(user.id);
    const signIn = createAuth({ store: users, emailTokens: tokens, log: e.deps().log, sessionDays: 30 });
    expect(await task.run({ ...e.deps(), signIn })).toEqual({ sessions_deleted: 0, email_tokens_deleted: 2 });
    const left = e.dbh.sqlite.query("select token_hash from email_tokens order by token_hash").all();
    expect(left).toEqual([{ token_hash: "live-verify" }, { token_hash: "used-live" }]);
    // A day later every one of them has expired; the next run deletes them, the one after finds nothing.
    const later = { ...e.deps({ now: () => new Date(at + 2 * DAY) }), signIn };
    expect(await task.run(later)).toEqual({ sessions_deleted: 0, email_tokens_deleted: 2 });
    expect(await task.run(later)).toEqual({ sessions_deleted: 0, email_tokens_deleted: 0 });
  });

  it("is scheduled from MM_CRON_AUTH_SWEEP (hourly by default) and runs by name", async () => {
    const e = makeEnv();
    const s = createScheduler(e.deps());
    expect(s.tasks.find((t) => t.name === "auth_sweep")?.schedule).toBe("25 * * * *");
    expect(await s.runOnce("auth_sweep")).toEqual({ sessions_deleted: 0, email_tokens_deleted: 0 });
    const off = createScheduler({ ...e.deps(), config: { ...e.config, MM_CRON_AUTH_SWEEP: "off" } });
    expect(off.tasks.find((t) => t.name === "auth_sweep")?.schedule).toBe("off");
  });
});
