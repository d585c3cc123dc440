// A streaming ZIP writer (stored entries, no compression: the results are audio, already dense or PCM
// that deflate barely shrinks) in bounded memory: each file is read twice in chunks (once for its
// CRC-32, which then goes in its local header, so every unzipper can read it, streaming ones included),
// never held whole. ZIP64 records are written when a size or an offset needs them (results > 4 GiB).

import { crc32 } from "node:zlib";

/** A file on disk (`path`), bytes in memory (`data`), or a stream opened on each read (`open`: a bucket). */
export type ZipEntry = { name: string; mtime?: Date } & (
  | { path: string }
  | { data: Uint8Array }
  | { open: () => AsyncIterable<Uint8Array> }
);

const MAX32 = 0xffffffff;
const enc = new TextEncoder();

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Little-endian record builder. */
class Rec {
  private readonly parts: number[][] = [];
  u16(x: number): this {
    this.parts.push([x & 0xff, (x >>> 8) & 0xff]);
    return this;
  }
  u32(x: number): this {
    this.parts.push([x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff]);
    return this;
  }
  u64(x: number): this {
    return this.u32(x % 2 ** 32).u32(Math.floor(x / 2 ** 32));
  }
  bytes(b: Uint8Array): this {
    this.parts.push(Array.from(b));
    return this;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.parts.flat());
  }
}

async function* chunksOf(e: ZipEntry): AsyncGenerator<Uint8Array> {
  if ("data" in e) {
    yield e.data;
    return;
  }
  const source = "open" in e ? e.open() : Bun.file(e.path).stream();
  for await (const chunk of source) yield chunk;
}

async function crcOf(e: ZipEntry): Promise<{ crc: number; size: number }> {
  let crc = 0;
  let size = 0;
  for await (const chunk of chunksOf(e)) {
    crc = crc32(chunk, crc);
    size += chunk.length;
  }
  return { crc, size };
}

type Central = { name: Uint8Array; crc: number; size: number; offset: number; time: number; date: number };

function localHeader(c: Central, zip64: boolean): Uint8Array {
  const extra = zip64 ? new Rec().u16(0x0001).u16(16).u64(c.size).u64(c.size).build() : new Uint8Array();
  return new Rec()
    .u32(0x04034b50)
    .u16(zip64 ? 45 : 20)
    .u16(0x0800) // UTF-8 names
    .u16(0) // stored
    .u16(c.time)
    .u16(c.date)
    .u32(c.crc)
    .u32(zip64 ? MAX32 : c.size)
    .u32(zip64 ? MAX32 : c.size)
    .u16(c.name.length)
    .u16(extra.length)
    .bytes(c.name)
    .bytes(extra)
    .build();
}

function centralHeader(c: Central, zip64: boolean): Uint8Array {
  const extra = zip64
    ? new Rec().u16(0x0001).u16(24).u64(c.size).u64(c.size).u64(c.offset).build()
    : new Uint8Array();
  return new Rec()
    .u32(0x02014b50)
    .u16(zip64 ? 45 : 20) // made by (MS-DOS attributes)
    .u16(zip64 ? 45 : 20)
    .u16(0x0800)
    .u16(0)
    .u16(c.time)
    .u16(c.date)
    .u32(c.crc)
    .u32(zip64 ? MAX32 : c.size)
    .u32(zip64 ? MAX32 : c.size)
    .u16(c.name.length)
    .u16(extra.length)
    .u16(0) // comment
    .u16(0) // disk
    .u16(0) // internal attributes
    .u32(0) // external attributes
    .u32(zip64 ? MAX32 : c.offset)
    .bytes(c.name)
    .bytes(extra)
    .build();
}

function endRecords(count: number, cdOffset: number, cdSize: number, zip64: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (zip64) {
    const at = cdOffset + cdSize;
    out.push(
      new Rec()
        .u32(0x06064b50)
        .u64(44)
        .u16(45)
        .u16(45)
        .u32(0)
        .u32(0)
        .u64(count)
        .u64(count)
        .u64(cdSize)
        .u64(cdOffset)
        .build(),
      new Rec().u32(0x07064b50).u32(0).u64(at).u32(1).build(),
    );
  }
  out.push(
    new Rec()
      .u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(zip64 ? 0xffff : count)
      .u16(zip64 ? 0xffff : count)
      .u32(zip64 ? MAX32 : cdSize)
      .u32(zip64 ? MAX32 : cdOffset)
      .u16(0)
      .build(),
  );
  return out;
}

/** The archive's bytes, chunk by chunk. `zip64: true` forces ZIP64 records (tests). */
export async function* zipChunks(
  entries: readonly ZipEntry[],
  o: { zip64?: boolean } = {},
): AsyncGenerator<Uint8Array> {
  const central: { c: Central; zip64: boolean }[] = [];
  let offset = 0;
  for (const e of entries) {
    const { crc, size } = await crcOf(e);
    const { time, date } = dosTime(e.mtime ?? new Date());
    const c: Central = { name: enc.encode(e.name), crc, size, offset, time, date };
    const zip64 = o.zip64 === true || size >= MAX32 || offset >= MAX32;
    const head = localHeader(c, zip64);
    yield head;
    let written = 0;
    for await (const chunk of chunksOf(e)) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== size) throw new Error(`zip: ${e.name} changed while it was being written`);
    offset += head.length + size;
    central.push({ c, zip64 });
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const { c, zip64 } of central) {
    const h = centralHeader(c, zip64);
    cdSize += h.length;
    yield h;
  }
  const zip64 = o.zip64 === true || central.some((x) => x.zip64) || cdOffset + cdSize >= MAX32;
  for (const r of endRecords(central.length, cdOffset, cdSize, zip64)) yield r;
}

/** zipChunks as a ReadableStream (pull: the next chunk is read only when the client takes this one). */
export function zipStream(
  entries: readonly ZipEntry[],
  o: { zip64?: boolean } = {},
): ReadableStream<Uint8Array> {
  const it = zipChunks(entries, o);
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      const { value, done } = await it.next();
      if (done) ctl.close();
      else ctl.enqueue(value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
