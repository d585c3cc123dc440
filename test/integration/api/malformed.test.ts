// Hostile and broken requests: every one gets a 4xx JSON error in the caller's language, the server stays
// healthy, nobody is charged, and the data dir has no leftover files.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { connect } from "node:net";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { type Harness, startApi, until } from "./harness";

let h: Harness;
let fx: string;
let wav: Uint8Array;
let bigWav: string;

type Part = { field?: string; name?: string; data: Uint8Array | string | (() => Uint8Array) };
type Row = {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** multipart parts, or a raw body */
  parts?: Part[];
  fields?: Record<string, string>;
  body?: () => NonNullable<RequestInit["body"]>;
  status: number | number[];
  code?: string | string[];
  setup?: () => void;
  teardown?: () => void;
};

const enc = new TextEncoder();
const bytes = (...chunks: (string | Uint8Array | number[])[]) => {
  const parts = chunks.map((c) =>
    typeof c === "string" ? enc.encode(c) : c instanceof Uint8Array ? c : new Uint8Array(c),
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const garbage = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 251);
const withRiffSizes = (riff: number, data: number) => {
  const b = wav.slice(0, 4096);
  const v = new DataView(b.buffer);
  v.setUint32(4, riff, true);
  // Find the data chunk and rewrite its size.
  for (let at = 12; at + 8 <= b.length; ) {
    const id = String.fromCharCode(...b.subarray(at, at + 4));
    const size = v.getUint32(at + 4, true);
    if (id === "data") {
      v.setUint32(at + 4, data, true);
      break;
    }
    at += 8 + size + (size % 2);
  }
  return b;
};

function multipart(parts: Part[], fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const p of parts) {
    const data = typeof p.data === "function" ? p.data() : p.data;
    fd.append(p.field ?? "file", new Blob([data]), p.name ?? "track.wav");
  }
  return fd;
}

const ok = (): Part => ({ data: () => wav });
const ID_LIKE = "ABCDEF";

const rows: Row[] = [
  { name: "no body at all", status: 400, code: "multipart_required", body: () => "" },
  {
    name: "JSON instead of multipart",
    headers: { "content-type": "application/json" },
    body: () => "{}",
    status: 400,
    code: "multipart_required",
  },
  {
    name: "multipart with no boundary",
    headers: { "content-type": "multipart/form-data" },
    body: () => "x",
    status: 400,
    code: "multipart_required",
  },
  { name: "no file part", parts: [], fields: { style: "edm" }, status: 400, code: "no_file" },
  { name: "two file parts on a single upload", parts: [ok(), ok()], status: 400, code: "too_many_files" },
  {
    name: "file under an unexpected field",
    parts: [{ field: "upload", data: () => wav }],
    status: 400,
    code: "unexpected_file",
  },
  { name: "zero-byte file", parts: [{ data: new Uint8Array(0) }], status: 400, code: "empty_file" },
  {
    name: "text file named .wav",
    parts: [{ data: "hello, this is not audio at all\n".repeat(20) }],
    status: 415,
    code: "unsupported_format",
  },
  { name: "wrong magic bytes", parts: [{ data: garbage(8192) }], status: 415, code: "unsupported_format" },
  { name: "fewer bytes than any magic", parts: [{ data: "RIFF" }], status: 415, code: "unsupported_format" },
  {
    name: "truncated WAV",
    parts: [{ data: () => wav.slice(0, 20_000) }],
    status: 422,
    code: "audio_truncated",
  },
  {
    name: "WAV header claiming 4 GB",
    parts: [{ data: () => withRiffSizes(0xfffffff0, 0xffffffd0) }],
    status: 422,
    code: "audio_truncated",
  },
  { name: "RIFF/WAVE header with no samples", parts: [{ data: () => wav.slice(0, 44) }], status: [415, 422] },
  {
    name: "MPEG sync then garbage",
    parts: [{ name: "a.mp3", data: bytes([0xff, 0xfb, 0x90, 0x00], garbage(4000)) }],
    status: [415, 422],
  },
  {
    name: "ID3 tag then garbage",
    parts: [{ name: "a.mp3", data: bytes("ID3", [3, 0, 0, 0, 0, 0, 0], garbage(3000)) }],
    status: [415, 422],
  },
  {
    name: "fLaC then garbage",
    parts: [{ name: "a.flac", data: bytes("fLaC", garbage(3000)) }],
    status: [415, 422],
  },
  {
    name: "OggS then garbage",
    parts: [{ name: "a.ogg", data: bytes("OggS", garbage(3000)) }],
    status: [415, 422],
  },
  {
    name: "ftyp box then garbage",
    parts: [{ name: "a.m4a", data: bytes([0, 0, 0, 24], "ftypM4A ", garbage(3000)) }],
    status: [415, 422],
  },
  {
    name: "traversal filename with text content",
    parts: [{ name: "../../etc/passwd.wav", data: "root:x:0:0:root:/root:/bin/bash\n" }],
    status: 415,
    code: "unsupported_format",
  },
  {
    name: "NUL in filename with text content",
    parts: [{ name: "evil\u0000.wav", data: "not audio".repeat(10) }],
    status: [400, 415],
  },
  {
    name: "500-character filename with garbage",
    parts: [{ name: `${"я".repeat(500)}.wav`, data: garbage(500) }],
    status: 415,
  },
  { name: "unknown style", parts: [ok()], fields: { style: "polka" }, status: 400, code: "invalid_settings" },
  {
    name: "target above range",
    parts: [ok()],
    fields: { target_lufs: "3" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "target below range",
    parts: [ok()],
    fields: { target: "-60" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "target is not a number",
    parts: [ok()],
    fields: { target_lufs: "loud" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "ceiling above 0 dBTP",
    parts: [ok()],
    fields: { ceiling_dbtp: "0.5" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "unknown output format",
    parts: [ok()],
    fields: { format: "wma" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "bitrate for a lossless format",
    parts: [ok()],
    fields: { format: "flac", bitrate: "320" },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "bad JSON settings",
    parts: [ok()],
    fields: { settings: "{style: edm" },
    status: 400,
    code: "invalid_settings_json",
  },
  {
    name: "settings JSON that is an array",
    parts: [ok()],
    fields: { config: "[1,2]" },
    status: 400,
    code: "invalid_settings_json",
  },
  {
    name: "unknown key in settings JSON",
    parts: [ok()],
    fields: { settings: '{"volume": 11}' },
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "modules field with bad JSON",
    parts: [ok()],
    fields: { modules: "{" },
    status: 400,
    code: "invalid_settings_json",
  },
  {
    name: "settings field over 64 KB",
    parts: [ok()],
    fields: { settings: `{"a":"${"x".repeat(70_000)}"}` },
    status: 400,
    code: "field_too_large",
  },
  {
    name: "file over the WAV limit",
    parts: [{ data: "" }],
    body: () => multipart([{ data: new Uint8Array(0) }]),
    status: 413,
    code: "file_too_large",
  },
  {
    name: "unterminated multipart body",
    headers: { "content-type": "multipart/form-data; boundary=XyZ" },
    body: () => '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF',
    status: [400, 415],
    code: ["multipart_malformed", "unsupported_format"],
  },
  {
    name: "eleven files in a batch",
    path: "/api/v2/batch",
    parts: Array.from({ length: 11 }, () => ({ field: "files", data: () => wav })),
    status: 400,
    code: "too_many_files",
  },
  {
    name: "measure of a text file",
    path: "/api/measure",
    parts: [{ data: "plain text" }],
    status: 415,
    code: "unsupported_format",
  },
  {
    name: "owner out of tokens",
    parts: [ok()],
    status: 403,
    code: "insufficient_tokens",
    setup: () => {
      h.billing.refuse = true;
    },
    teardown: () => {
      h.billing.refuse = false;
    },
  },
  {
    name: "status of an unknown job",
    method: "GET",
    path: `/api/jobs/${ID_LIKE}?token=${"t".repeat(43)}`,
    status: 404,
    code: "job_not_found",
  },
  {
    name: "status with a malformed id",
    method: "GET",
    path: "/api/jobs/..%2F..%2Fetc?token=abc",
    status: [400, 404],
  },
  {
    name: "cancel of an unknown job",
    method: "POST",
    path: `/api/jobs/${ID_LIKE}/cancel`,
    status: 404,
    code: "job_not_found",
  },
  {
    name: "unknown style for the default chain",
    method: "GET",
    path: "/api/v2/chain/default?style=polka",
    status: 400,
    code: "invalid_settings",
  },
  {
    name: "oversized JSON body on cancel",
    method: "POST",
    path: `/api/jobs/${ID_LIKE}/cancel`,
    headers: { "content-type": "application/json" },
    body: () => `{"x":"${"y".repeat(100_000)}"}`,
    status: 413,
    code: "body_too_large",
  },
];

beforeAll(async () => {
  fx = await tempDir();
  wav = new Uint8Array(await Bun.file(await makeMusic(fx, { durationS: 1 })).arrayBuffer());
  bigWav = await makeMusic(fx, { durationS: 8, name: "big.wav" });
  h = await startApi({ MM_UPLOAD_MAX_MB_WAV: "1" }, { start: false });
  // The "over the limit" row sends a real 8 s WAV (≈ 2 MB) against a 1 MB limit.
  const over = rows.find((r) => r.name === "file over the WAV limit");
  const big = new Uint8Array(await Bun.file(bigWav).arrayBuffer());
  if (over) over.body = () => multipart([{ data: big }]);
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
  await cleanup(fx);
});

describe("malformed requests", () => {
  it("has at least 30 hostile rows", () => expect(rows.length).toBeGreaterThanOrEqual(30));

  for (const row of rows) {
    it(`rejects ${row.name}`, async () => {
      row.setup?.();
      try {
        const method = row.method ?? "POST";
        const init: RequestInit = { method, headers: { "accept-language": "ru", ...row.headers } };
        if (row.body) init.body = row.body();
        else if (row.parts) init.body = multipart(row.parts, row.fields);
        const res = await fetch(`${h.url}${row.path ?? "/api/v2/master"}`, init);
        const statuses = Array.isArray(row.status) ? row.status : [row.status];
        const text = await res.text();
        if (!statuses.includes(res.status))
          throw new Error(`status ${res.status}, expected ${statuses}: ${text.slice(0, 300)}`);
        const body = JSON.parse(text) as { error: { code: string; message: string } };
        if (row.code) expect(Array.isArray(row.code) ? row.code : [row.code]).toContain(body.error.code);
        expect(body.error.message.length).toBeGreaterThan(0);
        expect(text).not.toContain(h.dir);
        expect(text).not.toMatch(/\bat \S+:\d+:\d+/);
        expect(h.files()).toEqual([]);
        expect(h.billing.count("reserve")).toBe(0);
        expect((await fetch(`${h.url}/api/styles`)).status).toBe(200);
      } finally {
        row.teardown?.();
      }
    });
  }

  it("survives a slow body cut mid-stream and deletes the partial upload", async () => {
    const port = Number(new URL(h.url).port);
    const sock = connect(port, "127.0.0.1");
    await new Promise((res) => sock.once("connect", res));
    const head =
      '--B\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n';
    sock.write(
      `POST /api/v2/master HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 5000000\r\n\r\n${head}`,
    );
    sock.write(wav.slice(0, 60_000));
    await until(
      "partial upload on disk",
      () => h.files().length,
      (n) => n === 1,
      10_000,
    );
    sock.destroy();
    await until(
      "partial upload removed",
      () => h.files().length,
      (n) => n === 0,
      10_000,
    );
    expect((await fetch(`${h.url}/api/styles`)).status).toBe(200);
  });

  it("keeps a traversal filename as a display name only", async () => {
    const res = await fetch(`${h.url}/api/v2/master`, {
      method: "POST",
      body: multipart([{ name: "../../etc/passwd.wav", data: () => wav }]),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(h.jobs.get(id)?.original_name).toBe("passwd.wav");
    expect(h.files().every((f) => f.startsWith(h.layout.uploads) && f.endsWith(".upload"))).toBe(true);
    h.jobs.cancel(id, "test");
    expect(h.files()).toEqual([]);
  });
});
