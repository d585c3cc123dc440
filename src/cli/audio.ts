// Audio verbs: master, analyze, presets, styles. They work without a database; config is read only
// for MM_FFMPEG / MM_FFPROBE. Failures print one line on stderr (exit 1); usage errors exit 2.

import { basename, dirname, extname, join } from "node:path";
import {
  type Analysis,
  analyze,
  configureAudioTools,
  FORMAT_IDS,
  FORMATS,
  formatFromPath,
  INTENSITIES,
  MATCH_ASPECTS,
  MAX_REFERENCES,
  type MasterSettings,
  type MatchAspect,
  MODULE_IDS,
  master,
  PRESETS,
  preview,
  STYLES,
} from "../audio";
import { loadConfig } from "../config";
import { isAppError } from "../errors";
import { failureText, type Lang, pickLang, t } from "../i18n";
import { type FlagSpec, parseArgs } from "./args";
import { type CliIo, type Command, type ExitCode, UsageError } from "./types";

function setup(io: CliIo): Lang {
  try {
    const c = loadConfig(io.env, io.envFile);
    configureAudioTools({ ffmpeg: c.MM_FFMPEG, ffprobe: c.MM_FFPROBE });
  } catch {
    // Another variable may be invalid; the audio verbs only need these two.
    configureAudioTools({ ffmpeg: io.env.MM_FFMPEG || "ffmpeg", ffprobe: io.env.MM_FFPROBE || "ffprobe" });
  }
  return pickLang((io.env.LC_ALL || io.env.LANG || "").replace("_", "-"));
}

/** Runs a verb body; maps errors to one stderr line and an exit code. */
export async function guarded(
  verb: string,
  usage: string,
  io: CliIo,
  fn: (lang: Lang) => Promise<ExitCode>,
): Promise<ExitCode> {
  const lang = setup(io);
  try {
    return await fn(lang);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${verb}: ${err.message}\n\n${usage}`);
      return 2;
    }
    io.err(`${verb}: ${failureText(lang, err)}`);
    return isAppError(err) && err.code === "invalid_settings" ? 2 : 1;
  }
}

export const num = (name: string, v: string | boolean | undefined): number | undefined => {
  if (typeof v !== "string") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${v}")`);
  return n;
};

const fmtNum = (x: number | null, d = 1) => (x === null ? "—" : x.toFixed(d));

function table(before: Analysis, after: Analysis): string {
  const rows: [string, string, string, string][] = [
    ["Integrated", fmtNum(before.integrated_lufs), fmtNum(after.integrated_lufs), "LUFS"],
    ["LRA", fmtNum(before.lra_lu), fmtNum(after.lra_lu), "LU"],
    ["True peak", fmtNum(before.true_peak_dbtp), fmtNum(after.true_peak_dbtp), "dBTP"],
    ["Duration", fmtNum(before.duration_s, 2), fmtNum(after.duration_s, 2), "s"],
  ];
  const head = `${"".padEnd(12)}${"before".padStart(9)}${"after".padStart(9)}`;
  return [head, ...rows.map(([k, b, a, u]) => `${k.padEnd(12)}${b.padStart(9)}${a.padStart(9)}  ${u}`)].join(
    "\n",
  );
}

export function progressBar(io: CliIo): ((f: number, stage: string) => void) | undefined {
  if (!io.isTty || !process.stderr.isTTY) return undefined;
  let lastPct = -1;
  return (f, stage) => {
    const pct = Math.floor(f * 100);
    if (pct === lastPct) return;
    lastPct = pct;
    const filled = Math.round(f * 30);
    process.stderr.write(
      `\r[${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${String(pct).padStart(3)}% ${stage.padEnd(8)}`,
    );
    if (f >= 1) process.stderr.write("\n");
  };
}

const MASTER_FLAGS: FlagSpec = {
  out: { type: "string", alias: "o" },
  style: { type: "string" },
  preset: { type: "string" },
  target: { type: "string" },
  ceiling: { type: "string" },
  format: { type: "string" },
  bitrate: { type: "string" },
  "sample-rate": { type: "string" },
  intensity: { type: "string" },
  mix: { type: "string" },
  attack: { type: "string" },
  sustain: { type: "string" },
  preview: { type: "boolean" },
  json: { type: "boolean" },
  reference: { type: "list" },
  match: { type: "string" },
  "reference-weights": { type: "string" },
  ...Object.fromEntries(MODULE_IDS.map((m) => [`no-${m}`, { type: "boolean" as const }])),
};

const MASTER_USAGE = `usage: magic-master master IN [-o OUT] [--style S] [--preset P] [--target LUFS] [--ceiling dBTP]
       [--format ${FORMAT_IDS.join("|")}] [--bitrate KBPS|v0] [--sample-rate keep|44100|48000]
       [--intensity ${INTENSITIES.join("|")}] [--mix PERCENT] [--attack dB] [--sustain dB]
       [--reference REF [--reference REF2 …] [--match ${MATCH_ASPECTS.join(",")}] [--reference-weights W1,W2,…]]
       [${MODULE_IDS.map((m) => `--no-${m}`).join(" ")}] [--preview] [--json]
  Format is inferred from the -o extension when --format is omitted (default wav24).
  --reference (up to ${MAX_REFERENCES}, averaged with the weights) matches tone, loudness, stereo width and
  dynamics to the reference(s) (--match picks some; default all); the true-peak ceiling still applies.`;

export const masterCommand: Command = {
  summary: "master an audio file (loudness + true-peak targets, styles, presets)",
  usage: MASTER_USAGE,
  run: (args, io) =>
    guarded("master", MASTER_USAGE, io, async (lang) => {
      const { flags, lists, positionals } = parseArgs(args, MASTER_FLAGS);
      const references = lists.reference ?? [];
      if (references.length > MAX_REFERENCES)
        throw new UsageError(`at most ${MAX_REFERENCES} --reference files (got ${references.length})`);
      if ((flags.match !== undefined || flags["reference-weights"] !== undefined) && references.length === 0)
        throw new UsageError("--match and --reference-weights need --reference");
      if (flags.preview && references.length > 0) throw new UsageError("--preview does not take --reference");
      const input = positionals[0];
      if (!input || positionals.length > 1) throw new UsageError("expected exactly one input file");
      const outFlag = typeof flags.out === "string" ? flags.out : undefined;
      const format =
        (flags.format as string | undefined) ?? (outFlag ? formatFromPath(outFlag) : null) ?? "wav24";
      if (outFlag && !flags.format && !formatFromPath(outFlag))
        throw new UsageError(`cannot infer a format from "${outFlag}"; use --format`);
      const ext = FORMATS.find((f) => f.id === format)?.extension ?? "wav";
      const output = outFlag ?? join(dirname(input), `${basename(input, extname(input))}_mastered.${ext}`);
      const br = flags.bitrate;
      const sr = flags["sample-rate"];
      const settings: MasterSettings = {
        style: flags.style as MasterSettings["style"],
        preset: flags.preset as MasterSettings["preset"],
        target_lufs: num("target", flags.target),
        ceiling_dbtp: num("ceiling", flags.ceiling),
        format: format as MasterSettings["format"],
        bitrate: br === "v0" ? "v0" : num("bitrate", br),
        sample_rate: sr === undefined || sr === "keep" ? "keep" : (num("sample-rate", sr) as 44100 | 48000),
        intensity: flags.intensity as MasterSettings["intensity"],
        mix: num("mix", flags.mix),
        ...(references.length > 0
          ? {
              reference: {
                match:
                  typeof flags.match === "string"
                    ? (flags.match.split(",").map((x) => x.trim()) as MatchAspect[])
                    : undefined,
                weights:
                  typeof flags["reference-weights"] === "string"
                    ? flags["reference-weights"]
                        .split(",")
                        .map((x, i) => num(`reference-weights[${i}]`, x) as number)
                    : undefined,
              },
            }
          : {}),
        modules: {
          ...(flags.attack !== undefined || flags.sustain !== undefined
            ? {
                transient: {
                  attack_db: num("attack", flags.attack),
                  sustain_db: num("sustain", flags.sustain),
                },
              }
            : {}),
          ...Object.fromEntries(
            MODULE_IDS.filter((m) => flags[`no-${m}`]).map((m) => [m, { enabled: false }]),
          ),
        },
      };
      // Timed here: the report's factor is rounded to 0.1, so a short file gave 0 → "in 1e9 s".
      const started = performance.now();
      const report = flags.preview
        ? await preview(input, output, settings, { onProgress: progressBar(io) })
        : await master(input, output, settings, { onProgress: progressBar(io), references });
      if (flags.json) {
        io.out(JSON.stringify({ output, ...report }, null, 2));
        return 0;
      }
      io.out(table(report.before, report.after));
      io.out(t(lang, "audio_changed_title"));
      for (const m of report.after.changes.messages) io.out(`  ${t(lang, m.key, m.params)}`);
      io.out(t(lang, "bot_analysis_platforms"));
      for (const p of report.after.platforms) io.out(`  ${t(lang, p.message.key, p.message.params)}`);
      io.out(
        `wrote ${output} (${report.format}, ${report.sample_rate} Hz) in ${((performance.now() - started) / 1000).toFixed(1)} s, ${report.realtime_factor}× realtime`,
      );
      return 0;
    }),
};

const ANALYZE_USAGE = "usage: magic-master analyze IN [--json]";

export const analyzeCommand: Command = {
  summary: "measure loudness, true peak, LRA, spectrum and platform verdicts of a file",
  usage: ANALYZE_USAGE,
  run: (args, io) =>
    guarded("analyze", ANALYZE_USAGE, io, async (lang) => {
      const { flags, positionals } = parseArgs(args, { json: { type: "boolean" } });
      const input = positionals[0];
      if (!input || positionals.length > 1) throw new UsageError("expected exactly one input file");
      const a = await analyze(input);
      if (flags.json) {
        io.out(JSON.stringify(a, null, 2));
        return 0;
      }
      const rows: [string, string][] = [
        ["Integrated", `${fmtNum(a.integrated_lufs)} LUFS`],
        ["LRA", `${fmtNum(a.lra_lu)} LU`],
        ["True peak", `${fmtNum(a.true_peak_dbtp)} dBTP`],
        ["Sample peak", `${fmtNum(a.sample_peak_dbfs, 2)} dBFS`],
        ["RMS", `${fmtNum(a.rms_dbfs, 2)} dBFS`],
        ["Crest factor", `${fmtNum(a.crest_db, 2)} dB`],
        ["DC offset", a.dc_offset === null ? "—" : a.dc_offset.toFixed(6)],
        ["Clipped", String(a.clipped_samples)],
        ["Correlation", a.stereo_correlation === null ? "—" : a.stereo_correlation.toFixed(4)],
        ["Duration", `${a.duration_s.toFixed(3)} s`],
        [
          "Format",
          `${a.codec}, ${a.sample_rate} Hz, ${a.channels} ch${a.bit_depth ? `, ${a.bit_depth}-bit` : ""}`,
        ],
      ];
      for (const [k, v] of rows) io.out(`${k.padEnd(14)}${v}`);
      for (const p of a.platforms) io.out(`  ${t(lang, p.message.key, p.message.params)}`);
      return 0;
    }),
};

function listing(kind: "presets" | "styles"): Command {
  const usage = `usage: magic-master ${kind} [--json]`;
  return {
    summary:
      kind === "presets" ? "list platform presets (target LUFS, ceiling dBTP)" : "list mastering styles",
    usage,
    run: (args, io) =>
      guarded(kind, usage, io, async (lang) => {
        const { flags } = parseArgs(args, { json: { type: "boolean" } });
        const items = kind === "presets" ? PRESETS : STYLES;
        if (flags.json) {
          io.out(JSON.stringify(items, null, 2));
          return 0;
        }
        for (const x of items) {
          const nums = `${x.target_lufs.toFixed(1).padStart(6)} LUFS ${x.ceiling_dbtp.toFixed(1).padStart(5)} dBTP`;
          io.out(`${x.id.padEnd(12)}${nums}  ${x.names[lang]} — ${x.description[lang]}`);
        }
        return 0;
      }),
  };
}

export const audioCommands: Record<string, Command> = {
  master: masterCommand,
  analyze: analyzeCommand,
  presets: listing("presets"),
  styles: listing("styles"),
};
