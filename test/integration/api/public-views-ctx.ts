// What public-views.test.ts calls the routes with: the context of its one finished job, the answer as read
// (status, type, text, SSE events), and the steps a call needs first (sign-in, an admin target, a paid
// order, a preset, a Pro account, a finished album). The calls themselves: public-views-calls.ts.
import type { RunningService } from "../../../src/service";
import type { FakeYooKassa } from "../../fakes/yookassa";
import { form, until } from "./harness";

export const ADMIN = "admin-token-for-the-schema-test-0123456789";

/** The test's running service and fake YooKassa, set by its beforeAll (the calls run after it). */
export const live: { s?: RunningService; yk?: FakeYooKassa } = {};
export function service(): RunningService {
  if (!live.s) throw new Error("public views: the service is not started");
  return live.s;
}
function yookassa(): FakeYooKassa {
  if (!live.yk) throw new Error("public views: the fake YooKassa is not started");
  return live.yk;
}

export type Got = { status: number; type: string; text: string; events: { event: string; data: string }[] };
export type Ctx = { url: string; handle: string; id: string; token: string; wav: string };

export async function got(res: Response): Promise<Got> {
  const type = res.headers.get("content-type") ?? "";
  const text = type.startsWith("audio/") || type.includes("sqlite") ? "" : await res.text();
  if (type.startsWith("audio/") || type.includes("sqlite")) await res.arrayBuffer();
  const events: Got["events"] = [];
  if (type.startsWith("text/event-stream"))
    for (const block of text.split("\n\n")) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) events.push({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "message", data });
    }
  return { status: res.status, type, text, events };
}

export const upload =
  (path: string, field = "file", extra: Record<string, string> = {}) =>
  async (x: Ctx) =>
    fetch(`${x.url}${path}`, {
      method: "POST",
      body: await form([{ field, name: "take.wav", data: x.wav }], extra),
    });
export const get =
  (path: (x: Ctx) => string, init: RequestInit = {}) =>
  (x: Ctx) =>
    fetch(`${x.url}${path(x)}`, init);
export const admin = { headers: { authorization: `Bearer ${ADMIN}` } };
export const ACCOUNT = { email: "views@example.com", password: "views-password" };
export const postJson = (x: Ctx, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${x.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
/** A fresh session of the test account (registered on first use). */
export async function signIn(x: Ctx): Promise<Record<string, string>> {
  await postJson(x, "/api/auth/register", ACCOUNT);
  const { token } = (await (await postJson(x, "/api/auth/login", ACCOUNT)).json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/**
 * The id of an account for the admin user routes, inserted on first use as test setup (this file signs up
 * often enough to meet the per-address registration limit; these accounts never sign in).
 */
export async function adminTarget(_x: Ctx, email = "views-target@example.com"): Promise<number> {
  const db = service().dbh.sqlite;
  db.run("insert or ignore into users (email, lang, created_at) values (?, 'en', ?)", [email, Date.now()]);
  return (db.query("select id from users where email = ?").get(email) as { id: number }).id;
}

/** A tokens order of the test account paid at the fake YooKassa and credited (its webhook settled). */
export async function paidOrder(x: Ctx): Promise<string> {
  const made = (await (
    await postJson(x, "/api/payments/create", { plan: "tokens_1" }, await signIn(x))
  ).json()) as {
    order_id: string;
    payment_id: string;
  };
  yookassa().webhookUrl = `${x.url}/api/payments/webhook`;
  yookassa().pay(made.payment_id);
  await yookassa().settled();
  return made.order_id;
}

let presetNo = 0;
/** A preset name not used before in this run. */
export const presetName = () => `views ${++presetNo}`;
/** A new saved preset of the test account (a fresh name each time); its id. */
export async function newPreset(x: Ctx, auth: Record<string, string>): Promise<string> {
  const body = { name: presetName(), settings: { style: "edm", target_lufs: -12 } };
  const res = await postJson(x, "/api/auth/presets", body, auth);
  return ((await res.json()) as { id: string }).id;
}
export type SignedInit = RequestInit & { id?: string; headers?: Record<string, string> };
/** Calls `path` as the test account; `init` may create what the call needs (`id` fills `:id`). */
export const signedIn =
  (
    path: string,
    init: (x: Ctx, auth: Record<string, string>) => Promise<SignedInit> | SignedInit = () => ({}),
  ) =>
  async (x: Ctx) => {
    const auth = await signIn(x);
    const { id = "", headers, ...rest } = await init(x, auth);
    return fetch(`${x.url}${path.replace(":id", id)}`, { ...rest, headers: { ...auth, ...headers } });
  };
/** A session of a pro account (API keys need a tier that allows them). */
export async function proSignIn(x: Ctx): Promise<Record<string, string>> {
  const pro = { email: "views-pro@example.com", password: "views-password" };
  await postJson(x, "/api/auth/register", pro);
  // Test setup: no admin verb sets a tier yet (subscriptions will); the row is the tier's one truth.
  service().dbh.sqlite.run("update users set tier = 'pro' where email = ?", [pro.email]);
  const { token } = (await (await postJson(x, "/api/auth/login", pro)).json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

let albumBatch: Promise<{ album_url: string; zip_url: string }> | null = null;
/** One finished album batch of two tracks (made on first use); its URLs on the test's address. */
export function finishedAlbum(x: Ctx): Promise<{ album_url: string; zip_url: string }> {
  albumBatch ??= (async () => {
    const body = await form(
      [
        { field: "files", name: "one.wav", data: x.wav },
        { field: "files", name: "two.wav", data: x.wav },
      ],
      { album: "true" },
    );
    const res = await fetch(`${x.url}/api/v2/batch`, { method: "POST", body });
    const b = (await res.json()) as { album_url: string; zip_url: string; jobs: { id: string }[] };
    for (const j of b.jobs)
      await until(
        "album track done",
        () => service().jobs.get(j.id)?.status,
        (st) => st === "done",
        120_000,
      );
    const local = (u: string) => u.replace("https://master.example.test", x.url);
    return { album_url: local(b.album_url), zip_url: local(b.zip_url) };
  })();
  return albumBatch;
}

/** Mails the service logged instead of sending (no MM_SMTP_URL in this test). */
export const logged: { kind: string; text: string }[] = [];
export function loggedToken(kind: string): string {
  const mail = logged.filter((m) => m.kind === kind).at(-1);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no logged ${kind} mail with a token`);
  return token;
}
