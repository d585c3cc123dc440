// An IP allow-list of CIDR ranges (IPv4 and IPv6), for the YooKassa notification route. The address it
// checks is the one client-ip.ts resolved (X-Forwarded-For believed only from MM_TRUSTED_PROXIES).

/** 128-bit value of an IPv4 (as ::ffff:a.b.c.d) or IPv6 address; undefined when it is not one. */
function toBig(ip: string): { v: bigint; v4: boolean } | undefined {
  const s = ip
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.)/, "");
  const four = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (four) {
    const parts = four.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), v4: true };
  }
  if (!/^[0-9a-f:]+$/.test(s) || (s.match(/::/g) ?? []).length > 1) return undefined;
  const [head = "", tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array(Math.max(0, fill)).fill("0"), ...t];
  if (groups.length !== 8 || groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return { v: groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n), v4: false };
}

export type IpAllowList = { allows(ip: string): boolean; size: number };

/** Entries are "a.b.c.d", "a.b.c.d/n", "x:y::/n" or a bare IPv6 address. Throws on a malformed entry. */
export function ipAllowList(entries: readonly string[]): IpAllowList {
  const ranges = entries.map((e) => {
    const [addr = "", bits] = e.split("/");
    const a = toBig(addr);
    if (!a) throw new Error(`not an IP range: ${e}`);
    const width = a.v4 ? 32 : 128;
    const n = bits === undefined ? width : Number(bits);
    if (!Number.isInteger(n) || n < 0 || n > width) throw new Error(`bad prefix length: ${e}`);
    const shift = BigInt(width - n);
    return { v4: a.v4, shift, base: a.v >> shift };
  });
  return {
    size: ranges.length,
    allows(ip) {
      const a = toBig(ip);
      if (!a) return false;
      return ranges.some((r) => r.v4 === a.v4 && a.v >> r.shift === r.base);
    },
  };
}
