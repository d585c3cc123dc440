// The per-owner queue cap over loopback HTTP (MM_MAX_QUEUED_PER_OWNER), with the pool stopped so jobs stay
// queued: up to the cap is 202 with the fair-order position; one more is 429 queue_limit_reached in the
// caller's language, nothing stored, nothing charged; a batch that does not fit is refused whole.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi } from "./harness";

const CAP = 3;
let h: Harness;
let fx: string;
let song: string;

beforeAll(async () => {
  fx = await tempDir();
  song = await makeMusic(fx, { durationS: 1 });
});
afterAll(async () => {
  await cleanup(fx);
});
afterEach(async () => {
  await h.stop();
  await cleanup(h.dir);
});

const post = async (path: string, n = 1, lang = "en") =>
  fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "accept-language": lang },
    body: await form(Array.from({ length: n }, (_, i) => ({ name: `s${i}.wav`, data: song }))),
  });
const uploads = () => h.files().filter((f) => f.includes("/uploads/"));

describe("MM_MAX_QUEUED_PER_OWNER", () => {
  it("accepts up to the cap with fair positions and refuses the next one in RU and EN, leaving nothing", async () => {
    h = await startApi({ MM_MAX_QUEUED_PER_OWNER: String(CAP) }, { start: false });
    const positions: unknown[] = [];
    for (let i = 0; i < CAP; i++) {
      const res = await post("/api/v2/master");
      expect(res.status).toBe(202);
      positions.push(((await res.json()) as { position: unknown }).position);
    }
    expect(positions).toEqual([1, 2, 3]);
    expect(uploads()).toHaveLength(CAP);

    const en = await post("/api/v2/master");
    expect(en.status).toBe(429);
    const enBody = (await en.json()) as { error: { code: string; message: string } };
    expect(enBody.error.code).toBe("queue_limit_reached");
    expect(enBody.error.message).toContain(`${CAP} tasks waiting`);
    const ru = await post("/api/measure", 1, "ru");
    expect(ru.status).toBe(429);
    const ruBody = (await ru.json()) as { error: { code: string; message: string } };
    expect(ruBody.error.code).toBe("queue_limit_reached");
    expect(ruBody.error.message).toContain("В очереди уже 3");

    expect(uploads()).toHaveLength(CAP);
    expect(h.billing.count("reserve")).toBe(CAP);
    expect(h.billing.count("refund")).toBe(0);

    // A job leaving the queue makes room for exactly one more.
    const first = h.jobs.listByOwner("ip:127.0.0.1", 10).at(-1);
    h.jobs.cancel(first?.id ?? "", "test");
    expect((await post("/api/v2/master")).status).toBe(202);
    expect((await post("/api/v2/master")).status).toBe(429);
  });

  it("refuses a batch that does not fit whole, before any job is queued or charged", async () => {
    h = await startApi({ MM_MAX_QUEUED_PER_OWNER: String(CAP) }, { start: false });
    expect((await post("/api/v2/master")).status).toBe(202);
    const batch = await post("/api/v2/batch", CAP);
    expect(batch.status).toBe(429);
    expect(((await batch.json()) as { error: { code: string } }).error.code).toBe("queue_limit_reached");
    expect(uploads()).toHaveLength(1);
    expect(h.billing.count("reserve")).toBe(1);
    expect(h.billing.count("refund")).toBe(0);
    expect((await post("/api/v2/batch", CAP - 1)).status).toBe(202);
  });

  it("holds the cap for uploads that race past the early check: one queued, one refused, one file", async () => {
    h = await startApi({ MM_MAX_QUEUED_PER_OWNER: "1" }, { start: false });
    const answers = await Promise.all([post("/api/v2/master"), post("/api/v2/master")]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 429]);
    expect(uploads()).toHaveLength(1);
    expect(h.billing.count("reserve")).toBe(1);
    expect(h.billing.count("refund")).toBe(0);
  });
});
