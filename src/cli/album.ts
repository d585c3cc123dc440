// `magic-master album IN… --out-dir DIR`: the tracks mastered as one album (src/audio/album*.ts): one
// style and gain staging for all, relative loudness kept, the loudest track on the target, every true
// peak under the ceiling. Writes <base>_mastered.<ext> per track and album.json (the album report).

import { mkdir, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import {
  ALBUM_MAX_TRACKS,
  ALBUM_MIN_TRACKS,
  type AlbumReport,
  FORMAT_IDS,
  FORMATS,
  INTENSITIES,
  type MasterSettings,
  masterAlbum,
} from "../audio";
import { isAppError } from "../errors";
import { failureText, t } from "../i18n";
import { parseArgs } from "./args";
import { guarded, num, progressBar } from "./audio";
import { type Command, UsageError } from "./types";

const USAGE = `usage: magic-master album IN1 IN2 [IN…] --out-dir DIR [--preset P | --target LUFS] [--style S]
       [--ceiling dBTP] [--format ${FORMAT_IDS.join("|")}] [--bitrate KBPS|v0] [--intensity ${INTENSITIES.join("|")}]
       [--parallel 1|2] [--json]
  ${ALBUM_MIN_TRACKS}–${ALBUM_MAX_TRACKS} tracks share one chain; each keeps its loudness relative to the loudest,
  which lands on the target. Writes <name>_mastered.<ext> per track and album.json into DIR.`;

const FLAGS = {
  "out-dir": { type: "string" as const, alias: "o" },
  style: { type: "string" as const },
  preset: { type: "string" as const },
  target: { type: "string" as const },
  ceiling: { type: "string" as const },
  format: { type: "string" as const },
  bitrate: { type: "string" as const },
  intensity: { type: "string" as const },
  parallel: { type: "string" as const },
  json: { type: "boolean" as const },
};

/** `<base>_mastered.<ext>` in `dir`; a base seen before gets `-2`, `-3`… so no track overwrites another. */
export function albumOutputs(inputs: readonly string[], dir: string, ext: string): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const base = basename(input, extname(input));
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return join(dir, `${base}${n > 1 ? `-${n}` : ""}_mastered.${ext}`);
  });
}

const f1 = (x: number | null) => (x === null ? "—" : x.toFixed(1));

function table(report: AlbumReport, outputs: readonly string[]): string[] {
  const cols = (name: string, xs: (number | null)[]) =>
    `${name.slice(0, 27).padEnd(28)}${xs.map((x) => f1(x).padStart(7)).join("")}`;
  return [
    `${"track".padEnd(28)}${["in", "out", "Δin", "Δout", "TP"].map((x) => x.padStart(7)).join("")}`,
    ...report.tracks.map((r, i) =>
      cols(basename(outputs[i] ?? r.name), [
        r.before_lufs,
        r.after_lufs,
        r.offset_before_lu,
        r.offset_after_lu,
        r.true_peak_dbtp,
      ]),
    ),
  ];
}

export const albumCommand: Command = {
  summary: "master several tracks as one album (shared chain, relative loudness kept)",
  usage: USAGE,
  run: (args, io) =>
    guarded("album", USAGE, io, async (lang) => {
      const { flags, positionals } = parseArgs(args, FLAGS);
      const outDir = flags["out-dir"];
      if (typeof outDir !== "string") throw new UsageError("--out-dir DIR is required");
      if (positionals.length < ALBUM_MIN_TRACKS || positionals.length > ALBUM_MAX_TRACKS)
        throw new UsageError(
          `expected ${ALBUM_MIN_TRACKS}–${ALBUM_MAX_TRACKS} input files (got ${positionals.length})`,
        );
      if (flags.preset !== undefined && flags.target !== undefined)
        throw new UsageError("--preset and --target exclude each other");
      const parallel = num("parallel", flags.parallel) ?? 1;
      if (parallel !== 1 && parallel !== 2) throw new UsageError("--parallel must be 1 or 2");
      const br = flags.bitrate;
      const settings: MasterSettings = {
        style: flags.style as MasterSettings["style"],
        preset: flags.preset as MasterSettings["preset"],
        target_lufs: num("target", flags.target),
        ceiling_dbtp: num("ceiling", flags.ceiling),
        format: flags.format as MasterSettings["format"],
        bitrate: br === "v0" ? "v0" : num("bitrate", br),
        intensity: flags.intensity as MasterSettings["intensity"],
      };
      const ext = FORMATS.find((x) => x.id === (settings.format ?? "wav24"))?.extension ?? "wav";
      const outputs = albumOutputs(positionals, outDir, ext);
      await mkdir(outDir, { recursive: true });
      let result: Awaited<ReturnType<typeof masterAlbum>>;
      try {
        result = await masterAlbum(positionals, outputs, settings, {
          onProgress: progressBar(io),
          concurrency: parallel,
        });
      } catch (err) {
        // Name the track that failed; the message itself is the usual one.
        if (!isAppError(err) || typeof err.params.track !== "string") throw err;
        io.err(`album: ${err.params.track}: ${failureText(lang, err)}`);
        return err.code === "invalid_settings" ? 2 : 1;
      }
      const { plan, report } = result;
      const album = { plan, report, outputs };
      await writeFile(join(outDir, "album.json"), `${JSON.stringify(album, null, 2)}\n`);
      if (flags.json) {
        io.out(JSON.stringify(album, null, 2));
        return report.within_spec ? 0 : 1;
      }
      for (const line of table(report, outputs)) io.out(line);
      io.out(
        t(lang, "album_summary", {
          style: plan.style,
          target: plan.target_lufs,
          error: f1(report.max_relative_error_lu),
          tp: f1(report.max_true_peak_dbtp),
        }),
      );
      io.out(`wrote ${outputs.length} tracks and album.json to ${outDir}`);
      return report.within_spec ? 0 : 1;
    }),
};
