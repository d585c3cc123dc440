// The real service for the admin tests (SQLite in a temp dir, HTTP on loopback): an admin account from
// MM_ADMIN_EMAIL (its one-time password read from the log), an ordinary user, API keys of both, and the
// operator token. Callers are built as a browser or a script would send them.
import { basename } from "node:path";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { cleanup, tempDir } from "../../fixtures/audio";

export const ADMIN_TOKEN = "operator-token-for-the-admin-tests-0123456789";
export const ADMIN_EMAIL = "root@example.com";

export type Who = "anonymous" | "user" | "user_key" | "admin" | "admin_key" | "admin_token";
export const EVERYONE: Who[] = ["anonymous", "user", "user_key", "admin", "admin_key", "admin_token"];
export const ADMINS: ReadonlySet<Who> = new Set(["admin", "admin_key", "admin_token"]);

export type AdminFixture = {
  s: RunningService;
  dir: string;
  lines: Record<string, unknown>[];
  adminSession: string;
  userSession: string;
  adminKey: string;
  userKey: string;
  /** Headers of `who` for a request of `method` (cookie callers send the page's Origin on writes). */
  as(who: Who, method?: string): Record<string, string>;
  /** JSON request as `who`. */
  call(who: Who, method: string, path: string, body?: unknown): Promise<Response>;
  /** A new e-mail account (not signed in); its id. */
  newUser(email: string, password?: string): Promise<number>;
  /**
   * A signed-in pro user (1 token a master, so every charge and refund is a ledger row) credited with
   * `tokens` through the admin API; its id and Bearer headers.
   */
  payingUser(email: string, tokens: number): Promise<{ id: number; auth: Record<string, string> }>;
  /** POST /api/v2/master of `file` with `auth`; the new job's id (throws unless 202). */
  submitMaster(auth: Record<string, string>, file: string): Promise<string>;
  /** The ledger rows with this ref (a job's charge and refund), oldest first, from the database file. */
  ledgerOf(ref: string): { reason: string; delta: number }[];
  stop(): Promise<void>;
};

export async function startAdminFixture(env: Record<string, string> = {}): Promise<AdminFixture> {
  const dir = await tempDir("mm-admin-");
  const lines: Record<string, unknown>[] = [];
  const config = loadConfig({
    PORT: "0",
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_ADMIN_TOKEN: ADMIN_TOKEN,
    MM_ADMIN_EMAIL: ADMIN_EMAIL,
    ...env,
  });
  const s = await startService(
    config,
    createLogger("info", (l) => lines.push(JSON.parse(l))),
  );
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const login = async (email: string, password: string): Promise<string> => {
    const res = await post("/api/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };
  const newUser = async (email: string, password = "user-password-123"): Promise<number> => {
    const res = await post("/api/auth/register", { email, password });
    if (res.status !== 202) throw new Error(`register ${email}: ${res.status}`);
    const row = s.dbh.sqlite.query("select id from users where email = ?").get(email) as { id: number };
    return row.id;
  };
  const secret = String(lines.find((l) => l.event === "admin_created")?.initial_credential ?? "");
  const adminSession = await login(ADMIN_EMAIL, secret);
  await newUser("plain@example.com", "plain-password-123");
  const userSession = await login("plain@example.com", "plain-password-123");
  const keyOf = async (session: string) => {
    // With billing on, only paying tiers may hold API keys: the account is moved to pro first (admin API).
    if (config.MM_BILLING === "on") {
      const me = await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${session}` } });
      const { id } = (await me.json()) as { id: number };
      const up = await post(
        `/api/admin/users/${id}/tier`,
        { tier: "pro", expires_at: null, reason: "test fixture: API keys" },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      if (up.status !== 200) throw new Error(`tier: ${up.status} ${await up.text()}`);
    }
    const res = await post("/api/auth/api-keys", { name: "test" }, { authorization: `Bearer ${session}` });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`api key: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { key: string }).key;
  };
  const adminKey = await keyOf(adminSession);
  const userKey = await keyOf(userSession);
  const as = (who: Who, method = "GET"): Record<string, string> => {
    const write = method !== "GET" && method !== "HEAD";
    const cookie = (token: string) => ({
      cookie: `mm_session=${token}`,
      ...(write ? { origin: s.url } : {}),
    });
    switch (who) {
      case "anonymous":
        return {};
      case "user":
        return cookie(userSession);
      case "admin":
        return cookie(adminSession);
      case "user_key":
        return { "x-api-key": userKey };
      case "admin_key":
        return { authorization: `Bearer ${adminKey}` };
      case "admin_token":
        return { authorization: `Bearer ${ADMIN_TOKEN}` };
    }
  };
  const call = (who: Who, method: string, path: string, body?: unknown) =>
    fetch(`${s.url}${path}`, {
      method,
      redirect: "manual",
      headers: { ...as(who, method), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const payingUser = async (email: string, tokens: number) => {
    const password = "paying-user-pass-12";
    const id = await newUser(email, password);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const tier = await post(
      `/api/admin/users/${id}/tier`,
      { tier: "pro", expires_at: null, reason: "test" },
      admin,
    );
    if (tier.status !== 200) throw new Error(`tier ${email}: ${tier.status} ${await tier.text()}`);
    const credit = await post(
      `/api/admin/users/${id}/balance`,
      { delta: tokens, reason: "test credit", ref: `test-credit-${id}` },
      admin,
    );
    if (credit.status !== 200) throw new Error(`credit ${email}: ${credit.status} ${await credit.text()}`);
    return { id, auth: { authorization: `Bearer ${await login(email, password)}` } };
  };
  const submitMaster = async (auth: Record<string, string>, file: string) => {
    const body = new FormData();
    body.append("file", Bun.file(file), basename(file));
    const res = await fetch(`${s.url}/api/v2/master`, { method: "POST", headers: auth, body });
    if (res.status !== 202) throw new Error(`master: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const ledgerOf = (ref: string) =>
    s.dbh.sqlite
      .query<{ reason: string; delta: number }, [string]>(
        "select reason, delta from ledger where ref = ? order by id",
      )
      .all(ref);
  return {
    s,
    dir,
    lines,
    adminSession,
    userSession,
    adminKey,
    userKey,
    as,
    call,
    newUser,
    payingUser,
    submitMaster,
    ledgerOf,
    async stop() {
      await s.stop();
      await cleanup(dir);
    },
  };
}
