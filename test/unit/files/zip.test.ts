// The streaming ZIP writer (src/files/zip.ts), checked by other programs: Info-ZIP `unzip -t` tests
// every CRC and Python's zipfile reads every entry back byte for byte, for plain and forced ZIP64
// archives, a UTF-8 name and a file larger than one read chunk.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipStream } from "../../../src/files";

let dir = "";
const big = randomBytes(3 * 1024 * 1024 + 17);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mm-zip-"));
  writeFileSync(join(dir, "big.bin"), big);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: string[]): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([
    p.exited,
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
  ]);
  return { code, out: out + err };
}

const PY = `
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: [i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()}))
`;

describe("zipStream", () => {
  for (const zip64 of [false, true]) {
    it(`writes an archive unzip and Python read back exactly (zip64 ${zip64})`, async () => {
      const file = join(dir, `out-${zip64}.zip`);
      const entries = [
        { name: "Трек 1_master.wav", path: join(dir, "big.bin") },
        { name: "album.json", data: new TextEncoder().encode('{"ok":true}\n') },
        { name: "empty.txt", data: new Uint8Array() },
      ];
      await Bun.write(file, new Response(zipStream(entries, { zip64 })));
      const t = await run(["unzip", "-t", file]);
      expect(t.out).toContain("No errors detected");
      expect(t.code).toBe(0);
      const py = await run(["python3", "-c", PY, file]);
      expect(py.code).toBe(0);
      const sha = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");
      expect(JSON.parse(py.out)).toEqual({
        "Трек 1_master.wav": [big.length, sha(big)],
        "album.json": [12, sha(new TextEncoder().encode('{"ok":true}\n'))],
        "empty.txt": [0, sha(new Uint8Array())],
      });
    });
  }
});
