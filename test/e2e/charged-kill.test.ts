// kill -9 of the compiled binary during a charged job (MM_BILLING=on, a pro user with tokens, the job
// sent through the bot to the fake Bot API, a local HTTP server). Every render waits at a gate in front
// of the real ffmpeg, so the job is running for as long as the test wants. After the restart the ledger
// rows must show exactly one charge for the job and either one result (re-queued, done: no refund) or
// one refund (killed on every attempt: failed for good) — never two charges, never a lost or double refund;
// the cached balance equals SUM(delta). Rows are read from the database file after the service stopped.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb } from "../../src/db";
import { buttonsOf, FakeTelegram, type FakeUser } from "../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { waitFor } from "../fixtures/wait";
import { type Gate, gatedFfmpeg } from "./gated-ffmpeg";
import { ensureBinary, filesIn, mastersIn, runBinary, type Served, serveBinary } from "./lib";

let fake: FakeTelegram;
let fx: string;
let track: string;

beforeAll(async () => {
  await ensureBinary();
  fake = await FakeTelegram.start();
  fx = await tempDir("mm-e2e-charged-fx-");
  track = await makeMusic(fx, { durationS: 3, name: "song.wav" });
}, 180_000);
afterAll(async () => {
  await fake.stop();
  await cleanup(fx);
});

type World = { dir: string; gate: Gate; user: FakeUser; started: Served[] };

const serve = async (w: World, ffmpeg: string): Promise<Served> => {
  const s = await serveBinary({
    MM_DATA_DIR: w.dir,
    MM_HOST: "127.0.0.1",
    MM_BILLING: "on",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_FFMPEG: ffmpeg,
    MM_LOG_LEVEL: "info",
  });
  w.started.push(s);
  return s;
};

/** Reads the database file with its own connection (WAL: safe beside the running service). */
function withDb<T>(dir: string, fn: (h: DbHandle) => T): T {
  const h = openDb(join(dir, "magic-master.db"));
  try {
    return fn(h);
  } finally {
    h.sqlite.close();
  }
}

const jobRow = (dir: string, id: string) =>
  withDb(dir, (h) =>
    h.sqlite
      .query<{ status: string; attempts: number; error_code: string | null; cost: number }, [string]>(
        "SELECT status, attempts, error_code, cost FROM jobs WHERE public_id = ?1",
      )
      .get(id),
  );

/** The user's ledger rows and cached balance; `who` is a Telegram id or an e-mail. */
const ledgerOf = (dir: string, who: number | string) =>
  withDb(dir, (h) => {
    const match = typeof who === "number" ? "u.telegram_id = ?1" : "u.email = ?1";
    const rows = h.sqlite
      .query<{ delta: number; reason: string; ref: string }, [string]>(
        `SELECT l.delta, l.reason, l.ref FROM ledger l JOIN users u ON u.id = l.user_id
          WHERE ${match} ORDER BY l.id`,
      )
      .all(String(who));
    const cached = h.sqlite
      .query<{ balance: number }, [string]>(
        `SELECT b.balance FROM ledger_balances b JOIN users u ON u.id = b.user_id WHERE ${match}`,
      )
      .get(String(who));
    return { rows, cached: cached?.balance };
  });

/** Makes `who` (a Telegram id or an e-mail) pro with `tokens`, through the admin CLI while the service runs. */
async function makePro(w: World, served: Served, who: string, tokens: number): Promise<void> {
  const cli = (...args: string[]) => runBinary(args, { MM_DATA_DIR: w.dir, MM_LOG_LEVEL: "warn" });
  const pro = await cli("admin", "extend-tier", who, "pro", "30", "--reason", "e2e");
  expect(pro.code, pro.stderr).toBe(0);
  const r = await cli("admin", "credit", who, String(tokens), "--reason", "e2e top-up");
  expect(r.code, r.stderr).toBe(0);
  expect(served.proc.exitCode).toBeNull();
}

/** The bot user (created by /start) as a pro user with `tokens`. */
async function proUserWithTokens(w: World, served: Served, tokens: number): Promise<void> {
  fake.userSendsText(w.user, "/start");
  await fake.waitFor(() => fake.textsTo(w.user.id).length > 0, 30_000, "the /start answer");
  await makePro(w, served, String(w.user.id), tokens);
}

/** A web account signed in over HTTP, made pro with `tokens`; resolves with its session token. */
async function webProWithTokens(w: World, served: Served, email: string, tokens: number): Promise<string> {
  const creds = { email, password: "correct horse battery" };
  const post = (path: string) =>
    fetch(`${served.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(creds),
    });
  expect((await post("/api/auth/register")).status).toBe(202);
  const login = await post("/api/auth/login");
  expect(login.status).toBe(200);
  const { token } = (await login.json()) as { token: string };
  await makePro(w, served, email, tokens);
  return token;
}

/** Waits for the job to be done (failing fast if it ended otherwise). */
const untilDone = (w: World, id: string) =>
  waitFor(
    () => {
      const r = jobRow(w.dir, id);
      if (r && ["failed", "cancelled"].includes(r.status)) throw new Error(`job ended ${JSON.stringify(r)}`);
      return r?.status === "done";
    },
    { what: "the re-queued job to finish", timeoutMs: 180_000, intervalMs: 200 },
  );

/** Sends the track, picks a style and a format; resolves with the queued task's id. */
async function submitThroughBot(w: World): Promise<string> {
  fake.userSendsAudio(w.user, track, { fileName: "song.wav", mime: "audio/wav" });
  const msg = await fake.waitFor(
    () => fake.messagesTo(w.user.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
    30_000,
    "style keyboard",
  );
  fake.userPressesButton(w.user, msg.message_id, "st:standard");
  await fake.waitFor(
    () => buttonsOf(msg).some((b) => b.callback_data === "fm:wav24"),
    30_000,
    "format keyboard",
  );
  fake.userPressesButton(w.user, msg.message_id, "fm:wav24");
  const m = await fake.waitFor(
    () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? ""),
    30_000,
    "the queued task id",
  );
  return m[1] ?? "";
}

/** kill -9 once the job's render is held at the gate (the `arrivals`-th time), and its orphans too. */
async function killWhileRunning(w: World, served: Served, id: string, arrivals: number): Promise<void> {
  await waitFor(() => w.gate.arrivals() >= arrivals && jobRow(w.dir, id)?.status === "running", {
    what: `job ${id} running at the gate (arrival ${arrivals})`,
    timeoutMs: 60_000,
    detail: () => ({ arrivals: w.gate.arrivals(), row: jobRow(w.dir, id) }),
  });
  served.proc.kill(9);
  await served.proc.exited;
  // kill -9 leaves the gated ffmpeg wrappers waiting: stop them, so the next instance is alone.
  w.gate.killWaiting();
}

let tg = 61_000;
async function world(): Promise<World> {
  return {
    dir: await tempDir("mm-e2e-charged-"),
    gate: gatedFfmpeg(),
    user: FakeTelegram.user(tg++, { lang: "en" }),
    started: [],
  };
}

/** Whatever happened, no instance of this test outlives it (it would take the next test's updates). */
async function teardown(w: World): Promise<void> {
  for (const s of w.started) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill(9);
  await Promise.all(w.started.map((s) => s.proc.exited));
  w.gate.killWaiting();
  await cleanup(w.dir);
}

describe("kill -9 during a charged job (compiled binary, MM_BILLING=on)", () => {
  it("re-queued after the restart: one charge, one result, no refund", async () => {
    const w = await world();
    try {
      const first = await serve(w, w.gate.ffmpeg);
      await proUserWithTokens(w, first, 3);
      const id = await submitThroughBot(w);
      expect(jobRow(w.dir, id)?.cost).toBe(1);
      await killWhileRunning(w, first, id, 1);

      // The second instance renders with the real ffmpeg.
      const second = await serve(w, "ffmpeg");
      try {
        await untilDone(w, id);
        await fake.waitFor(() => fake.documentsTo(w.user.id).at(-1), 60_000, "the result sent to the user");
      } finally {
        await second.stop();
      }
      expect(jobRow(w.dir, id)?.attempts).toBe(2);
      expect(fake.documentsTo(w.user.id)).toHaveLength(1);
      expect(mastersIn(join(w.dir, "results"))).toHaveLength(1);
      const l = ledgerOf(w.dir, w.user.id);
      expect(l.rows.filter((r) => r.ref === id)).toEqual([{ delta: -1, reason: "charge", ref: id }]);
      expect(l.rows.map((r) => r.delta).reduce((a, b) => a + b, 0)).toBe(2);
      expect(l.cached).toBe(2);
    } finally {
      await teardown(w);
    }
  }, 400_000);

  it("through the web API with a session: re-queued after the restart, one charge, one result, no refund", async () => {
    const w = await world();
    const email = `web${w.user.id}@example.org`;
    try {
      const first = await serve(w, w.gate.ffmpeg);
      const token = await webProWithTokens(w, first, email, 3);
      const fd = new FormData();
      fd.append("file", Bun.file(track), "song.wav");
      const res = await fetch(`${first.url}/api/v2/master`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: fd,
      });
      expect(res.status).toBe(202);
      const { id, status_url } = (await res.json()) as { id: string; status_url: string };
      expect(jobRow(w.dir, id)?.cost).toBe(1);
      await killWhileRunning(w, first, id, 1);

      const second = await serve(w, "ffmpeg");
      try {
        await untilDone(w, id);
        const st = (await (await fetch(`${second.url}${status_url}`)).json()) as { status: string };
        expect(st.status).toBe("done");
      } finally {
        await second.stop();
      }
      expect(jobRow(w.dir, id)?.attempts).toBe(2);
      expect(mastersIn(join(w.dir, "results"))).toHaveLength(1);
      const l = ledgerOf(w.dir, email);
      expect(l.rows.filter((r) => r.ref === id)).toEqual([{ delta: -1, reason: "charge", ref: id }]);
      expect(l.cached).toBe(2);
    } finally {
      await teardown(w);
    }
  }, 400_000);

  it("killed on every attempt: failed for good with one charge and exactly one refund, kept across restarts", async () => {
    const w = await world();
    try {
      let s = await serve(w, w.gate.ffmpeg);
      await proUserWithTokens(w, s, 1);
      const id = await submitThroughBot(w);
      // Three starts of the render, each ended by kill -9; the fourth start finds the attempts used up.
      for (let attempt = 1; attempt <= 3; attempt++) {
        await killWhileRunning(w, s, id, attempt);
        s = await serve(w, w.gate.ffmpeg);
      }
      try {
        await waitFor(() => jobRow(w.dir, id)?.status === "failed", {
          what: "the job to fail for good at the fourth start",
          timeoutMs: 60_000,
          detail: () => jobRow(w.dir, id),
        });
      } finally {
        await s.stop();
      }
      expect(jobRow(w.dir, id)).toMatchObject({ status: "failed", error_code: "interrupted", attempts: 3 });
      // One more restart: recovery looks for lost refunds and must not write a second one.
      await (await serve(w, w.gate.ffmpeg)).stop();
      const l = ledgerOf(w.dir, w.user.id);
      expect(l.rows.filter((r) => r.ref === id).map((r) => `${r.reason} ${r.delta}`)).toEqual([
        "charge -1",
        "refund 1",
      ]);
      expect(l.cached).toBe(1);
      expect(fake.documentsTo(w.user.id)).toHaveLength(0);
      expect(filesIn(join(w.dir, "results"))).toEqual([]);
    } finally {
      await teardown(w);
    }
  }, 400_000);
});
