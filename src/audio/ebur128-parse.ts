// Parsers for what ffmpeg's ebur128 and astats filters print on stderr. Instances are told apart by
// their name (`ebur128@pre`, `astats@lr`), and the LAST summary per instance wins: ffmpeg 5.1
// configures the graph twice and prints a bogus first summary (I −70.0) for ebur128.

export type LoudnessSummary = {
  integrated_lufs: number;
  lra_lu: number;
  /** Present when the filter ran with peak=sample / peak=true. */
  sample_peak_dbfs: number | null;
  true_peak_dbfs: number | null;
};

export type AstatsChannel = Record<string, number>;
export type AstatsReport = { channels: AstatsChannel[]; overall: AstatsChannel };

/** One per-frame ebur128 line (framelog at info level): time, momentary and short-term loudness. */
export type EburFrame = { t: number; m: number; s: number };

const PREFIX = /^\[([\w.]+@[\w-]+) @ 0x[0-9a-f]+\] ?(.*)$/;

function num(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  if (/^-?inf/i.test(text)) return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(text);
}

/**
 * Extracts the summary of every named ebur128 instance from a stderr text. The summary block is
 * a header line with the instance prefix followed by un-prefixed indented lines.
 */
export function parseEburSummaries(stderr: string): Map<string, LoudnessSummary> {
  const out = new Map<string, LoudnessSummary>();
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = PREFIX.exec(lines[i] ?? "");
    if (!m?.[1]?.startsWith("ebur128@") || m[2] !== "Summary:") continue;
    const name = m[1].slice("ebur128@".length);
    const s: LoudnessSummary = {
      integrated_lufs: Number.NaN,
      lra_lu: Number.NaN,
      sample_peak_dbfs: null,
      true_peak_dbfs: null,
    };
    let section = "";
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? "";
      if (line.trim() === "") continue;
      if (!/^\s/.test(line)) break;
      const t = line.trim();
      if (t.endsWith(":")) section = t;
      const v = /^(I|LRA|Peak):\s+(\S+)/.exec(t);
      if (!v) continue;
      if (v[1] === "I") s.integrated_lufs = num(v[2]);
      else if (v[1] === "LRA") s.lra_lu = num(v[2]);
      else if (section.startsWith("Sample peak")) s.sample_peak_dbfs = num(v[2]);
      else if (section.startsWith("True peak")) s.true_peak_dbfs = num(v[2]);
    }
    out.set(name, s);
  }
  return out;
}

/** Parses every named astats instance's report ("Channel: n" blocks, then "Overall"). */
export function parseAstats(stderr: string): Map<string, AstatsReport> {
  const out = new Map<string, AstatsReport>();
  let current: AstatsChannel | null = null;
  for (const line of stderr.split("\n")) {
    const m = PREFIX.exec(line);
    if (!m?.[1]?.startsWith("astats@")) continue;
    const name = m[1].slice("astats@".length);
    const body = m[2] ?? "";
    let rep = out.get(name);
    if (!rep) {
      rep = { channels: [], overall: {} };
      out.set(name, rep);
    }
    if (/^Channel: \d+$/.test(body)) {
      // A repeated report (graph configured twice) restarts the channel list: keep the last one.
      if (body === "Channel: 1") rep.channels = [];
      current = {};
      rep.channels.push(current);
      continue;
    }
    if (body === "Overall") {
      current = {};
      rep.overall = current;
      continue;
    }
    const kv = /^([A-Za-z ]+?(?: dB)?): (\S+)$/.exec(body);
    if (kv && current) current[kv[1] as string] = num(kv[2]);
  }
  return out;
}

const FRAME = /t:\s*(\S+)\s+TARGET:\S+ LUFS\s+M:\s*(\S+)\s+S:\s*(\S+)/;

/** Parses one framelog line of an ebur128 instance, or null when the line is something else. */
export function parseEburFrame(line: string): { name: string; frame: EburFrame } | null {
  const m = PREFIX.exec(line);
  if (!m?.[1]?.startsWith("ebur128@")) return null;
  const f = FRAME.exec(m[2] ?? "");
  if (!f) return null;
  return { name: m[1].slice("ebur128@".length), frame: { t: num(f[1]), m: num(f[2]), s: num(f[3]) } };
}

/** One volumedetect instance's report: mean and max level (dB) over `n` samples. */
export type VolumeStats = { mean_db: number; max_db: number; n: number };

/** Mean and max level (dB) of every named volumedetect instance; the last report per name wins. */
export function parseVolumedetect(stderr: string): Map<string, VolumeStats> {
  const out = new Map<string, VolumeStats>();
  for (const line of stderr.split("\n")) {
    const m = PREFIX.exec(line);
    if (!m?.[1]?.startsWith("volumedetect@")) continue;
    const name = m[1].slice("volumedetect@".length);
    const v = /^(mean_volume|max_volume|n_samples): (\S+)( dB)?$/.exec(m[2] ?? "");
    if (!v) continue;
    const cur = out.get(name) ?? { mean_db: Number.NaN, max_db: Number.NaN, n: 0 };
    if (v[1] === "mean_volume") cur.mean_db = num(v[2]);
    else if (v[1] === "max_volume") cur.max_db = num(v[2]);
    else cur.n = Number(v[2]);
    out.set(name, cur);
  }
  return out;
}

/**
 * The reports of two runs over disjoint parts of one stream as one: mean power weighted by samples,
 * the larger max. A name only one run reported is kept as it is.
 */
export function mergeVolumedetect(
  a: Map<string, VolumeStats>,
  b: Map<string, VolumeStats>,
): Map<string, VolumeStats> {
  const out = new Map(a);
  for (const [name, y] of b) {
    const x = out.get(name);
    if (!x || x.n === 0) {
      out.set(name, y);
      continue;
    }
    if (y.n === 0) continue;
    const power = (x.n * 10 ** (x.mean_db / 10) + y.n * 10 ** (y.mean_db / 10)) / (x.n + y.n);
    out.set(name, {
      mean_db: Math.round(100 * 10 * Math.log10(power)) / 100,
      max_db: Math.max(x.max_db, y.max_db),
      n: x.n + y.n,
    });
  }
  return out;
}
