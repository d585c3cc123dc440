// Saved chain presets over HTTP: create, list, read, replace, delete; settings checked by the master
// settings schema; at most 50 per user (the 51st refused, nothing written); another user's presets are
// invisible (404, never 403, so ids cannot be probed); a guest is refused. Real SQLite, loopback HTTP.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { SCHEMAS } from "../../../src/http/routes/openapi";
import { cleanup } from "../../fixtures/audio";
import { type Harness, startApi } from "./harness";
import { type Account, account } from "./signed-in";

let h: Harness;
let alice: Account;
let bob: Account;

type Res = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } } };
async function call(
  a: Account | null,
  method: string,
  path: string,
  body?: unknown,
  lang = "en",
): Promise<Res> {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: {
      ...(a?.headers ?? {}),
      "accept-language": lang,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Res["body"] };
}

beforeAll(async () => {
  h = await startApi({}, { start: false });
  alice = await account(h.url, "alice@example.com");
  bob = await account(h.url, "bob@example.com");
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
});

describe("/api/auth/presets", () => {
  let id = "";
  const settings = {
    style: "edm",
    target_lufs: -10,
    format: "mp3",
    bitrate: 320,
    modules: { width: { width: 1.2 } },
  };

  it("creates, lists, reads, replaces and deletes a preset", async () => {
    const created = await call(alice, "POST", "/api/auth/presets", { name: "  Club loud ", settings });
    expect(created.status).toBe(201);
    SCHEMAS.Preset.parse(created.body);
    expect(created.body).toMatchObject({ name: "Club loud", settings });
    id = created.body.id as string;
    expect(id).toMatch(/^p_[\w-]{12}$/);

    const list = await call(alice, "GET", "/api/auth/presets");
    expect(list.status).toBe(200);
    SCHEMAS.PresetList.parse(list.body);
    expect(list.body).toMatchObject({ limit: 50, presets: [{ id, name: "Club loud" }] });
    expect((await call(alice, "GET", `/api/auth/presets/${id}`)).body).toMatchObject({ id, settings });

    const replaced = await call(alice, "PUT", `/api/auth/presets/${id}`, {
      name: "Podcast",
      settings: { preset: "podcast" },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, name: "Podcast", settings: { preset: "podcast" } });
    expect(replaced.body.updated_at as number).toBeGreaterThanOrEqual(created.body.updated_at as number);

    expect((await call(alice, "DELETE", `/api/auth/presets/${id}`)).body).toEqual({ deleted: id });
    expect((await call(alice, "GET", `/api/auth/presets/${id}`)).status).toBe(404);
    expect((await call(alice, "DELETE", `/api/auth/presets/${id}`)).status).toBe(404);
  });

  it("refuses settings a master would refuse, with the schema's reason, in the caller's language", async () => {
    for (const bad of [
      { target_lufs: -40 },
      { style: "polka" },
      { format: "wav24", bitrate: 320 },
      { unknown_field: 1 },
    ]) {
      const r = await call(alice, "POST", "/api/auth/presets", { name: "bad", settings: bad }, "ru");
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error?.code).toBe("invalid_request");
      expect(r.body.error?.message).toMatch(/[а-я]/i);
    }
    expect((await call(alice, "POST", "/api/auth/presets", { name: "", settings: {} })).status).toBe(400);
    expect(
      (await call(alice, "POST", "/api/auth/presets", { name: "x".repeat(81), settings: {} })).status,
    ).toBe(400);
    expect(((await call(alice, "GET", "/api/auth/presets")).body.presets as unknown[]).length).toBe(0);
  });

  it("keeps names unique per user, not across users", async () => {
    expect((await call(alice, "POST", "/api/auth/presets", { name: "Mine", settings: {} })).status).toBe(201);
    const again = await call(alice, "POST", "/api/auth/presets", { name: "Mine", settings: {} });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("preset_name_taken");
    expect((await call(bob, "POST", "/api/auth/presets", { name: "Mine", settings: {} })).status).toBe(201);
  });

  it("hides one user's presets from another: list, read, replace and delete", async () => {
    const a = await call(alice, "POST", "/api/auth/presets", { name: "Secret", settings: { style: "lofi" } });
    const aid = a.body.id as string;
    const names = ((await call(bob, "GET", "/api/auth/presets")).body.presets as { name: string }[]).map(
      (p) => p.name,
    );
    expect(names).toEqual(["Mine"]);
    expect((await call(bob, "GET", `/api/auth/presets/${aid}`)).status).toBe(404);
    expect(
      (await call(bob, "PUT", `/api/auth/presets/${aid}`, { name: "Stolen", settings: {} })).status,
    ).toBe(404);
    expect((await call(bob, "DELETE", `/api/auth/presets/${aid}`)).status).toBe(404);
    expect((await call(alice, "GET", `/api/auth/presets/${aid}`)).body).toMatchObject({ name: "Secret" });
  });

  it("keeps at most 50: the 51st is refused (409 with the limit), nothing written; a delete makes room", async () => {
    const have = ((await call(alice, "GET", "/api/auth/presets")).body.presets as unknown[]).length;
    for (let i = have; i < 50; i++)
      expect((await call(alice, "POST", "/api/auth/presets", { name: `p${i}`, settings: {} })).status).toBe(
        201,
      );
    const over = await call(alice, "POST", "/api/auth/presets", { name: "one too many", settings: {} });
    expect(over.status).toBe(409);
    expect(over.body.error?.code).toBe("preset_limit_reached");
    expect(over.body.error?.message).toContain("50");
    const list = (await call(alice, "GET", "/api/auth/presets")).body.presets as {
      id: string;
      name: string;
    }[];
    expect(list).toHaveLength(50);
    expect(list.map((p) => p.name)).not.toContain("one too many");
    // Bob's count is his own.
    expect((await call(bob, "POST", "/api/auth/presets", { name: "bob 2", settings: {} })).status).toBe(201);
    await call(alice, "DELETE", `/api/auth/presets/${list[0]?.id}`);
    expect(
      (await call(alice, "POST", "/api/auth/presets", { name: "one too many", settings: {} })).status,
    ).toBe(201);
  });

  it("refuses a guest (401) before reading the body, and a cookie without Origin on a write (403)", async () => {
    expect((await call(null, "GET", "/api/auth/presets")).status).toBe(401);
    expect((await call(null, "POST", "/api/auth/presets", { name: 1 })).status).toBe(401);
    const res = await fetch(`${h.url}/api/auth/presets`, {
      method: "POST",
      headers: { cookie: `mm_session=${alice.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "csrf", settings: {} }),
    });
    expect(res.status).toBe(403);
  });
});
