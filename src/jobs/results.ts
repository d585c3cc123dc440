// What a done master offers beside its file: the plot data written when it finished (plots.json), and
// other formats of the same master encoded on demand (src/audio/reencode.ts) and kept as siblings of the
// result until it expires (naming.ts resultFilesOf). Encodes run one at a time per process, outside the
// worker pool: each is one light ffmpeg pass, and a user asks for a few at most per master. With a bucket
// the encode runs on the node asked (the result is fetched, the new format published beside it).

import { type Analysis, encodeAlternate, FORMATS, type FormatId, resolveSettings } from "../audio";
import { AppError, describeError, isAppError } from "../errors";
import type { FileStore } from "../files";
import type { Logger } from "../log";
import { decodeAnalysis } from "./analysis";
import type { JobSettings } from "./engine";
import { alternatePathsOf, beforeAudioPathOf, plotsPathOf, resultNameFor } from "./naming";
import type { JobRow } from "./store";
import type { ResultFile } from "./types";

export type AlternateStatus = "delivered" | "ready" | "encoding" | "failed" | "none";

export type AlternateState = {
  format: FormatId;
  status: AlternateStatus;
  bytes: number | null;
  integrated_lufs: number | null;
  true_peak_dbtp: number | null;
  /** Error code of a failed encode (an i18n key). */
  error_code: string | null;
};

type Meta = { bytes: number; integrated_lufs: number | null; true_peak_dbtp: number | null };

export type ResultExtrasDeps = {
  log: Logger;
  files: FileStore;
  /** The done row of a public id (undefined when unknown, not done, or without a result). */
  doneRow: (publicId: string) => JobRow | undefined;
  timeoutMs: number;
};

async function readMeta(files: FileStore, ref: string): Promise<Meta | null> {
  try {
    const m = JSON.parse((await files.readText(ref)) ?? "") as Meta;
    return typeof m.bytes === "number" ? m : null;
  } catch {
    return null;
  }
}

export function createResultExtras(d: ResultExtrasDeps) {
  const encoding = new Map<string, Promise<void>>();
  const failures = new Map<string, string>();
  // One encode at a time: the tail of the chain every new request waits behind.
  let tail: Promise<void> = Promise.resolve();

  const settingsOf = (row: JobRow) => JSON.parse(row.params) as JobSettings;
  const deliveredFormat = (row: JobRow): FormatId => resolveSettings(settingsOf(row)).format.id as FormatId;

  const { files } = d;

  async function stateOf(row: JobRow, format: FormatId): Promise<AlternateState> {
    const base = { format, bytes: null, integrated_lufs: null, true_peak_dbtp: null, error_code: null };
    const resultPath = row.resultPath as string;
    if (format === deliveredFormat(row)) {
      const after = decodeAnalysis(row.analysisAfter);
      return {
        ...base,
        status: "delivered",
        bytes: row.resultBytes,
        integrated_lufs: after?.integrated_lufs ?? null,
        true_peak_dbtp: after?.true_peak_dbtp ?? null,
      };
    }
    const key = `${row.publicId}:${format}`;
    if (encoding.has(key)) return { ...base, status: "encoding" };
    const paths = alternatePathsOf(resultPath, format);
    // The meta is written after the file (and deleted after it), so a meta means the file is there.
    const meta = await readMeta(files, paths.meta);
    if (meta) return { ...base, ...meta, status: "ready" };
    const failed = failures.get(key);
    return failed ? { ...base, status: "failed", error_code: failed } : { ...base, status: "none" };
  }

  async function encode(row: JobRow, format: FormatId): Promise<void> {
    const resultPath = row.resultPath as string;
    const paths = alternatePathsOf(resultPath, format);
    const log = d.log.child({ task_id: row.publicId, user_id: row.userId });
    const started = performance.now();
    const fetched = files.kind !== "local";
    try {
      const source = await files.fetch(resultPath);
      if (!source) throw new AppError("result_expired", 410, { id: row.publicId });
      const out = files.localPath(paths.file);
      const after: Analysis = await encodeAlternate(source, out, settingsOf(row), format, {
        expectedLufs: decodeAnalysis(row.analysisAfter)?.integrated_lufs ?? -14,
        timeoutMs: d.timeoutMs,
      });
      const bytes = Bun.file(out).size;
      const meta: Meta = {
        bytes,
        integrated_lufs: after.integrated_lufs,
        true_peak_dbtp: after.true_peak_dbtp,
      };
      await files.publish([paths.file]);
      await files.writeText(paths.meta, JSON.stringify(meta));
      // Expired or deleted meanwhile: the siblings of a result nobody keeps go with it.
      if (!d.doneRow(row.publicId)) files.remove([paths.file, paths.meta]);
      log.info("job_format_encoded", "", {
        format,
        bytes,
        duration_ms: Math.round(performance.now() - started),
        lufs_out: after.integrated_lufs,
        true_peak: after.true_peak_dbtp,
      });
    } catch (err) {
      const code = isAppError(err) ? err.code : "internal_error";
      failures.set(`${row.publicId}:${format}`, code);
      log.error("job_format_failed", describeError(err), { format, error_code: code });
    } finally {
      if (fetched) await files.evict([resultPath, paths.file]);
    }
  }

  return {
    /** The stored plot data of a done master, or undefined (not done, expired, or made before plots). */
    async plotsOf(publicId: string): Promise<unknown> {
      const row = d.doneRow(publicId);
      if (!row?.resultPath) return undefined;
      try {
        return JSON.parse((await files.readText(plotsPathOf(row.resultPath))) ?? "");
      } catch {
        return undefined;
      }
    },
    /** The listening copy of the input (FLAC), for the result page's "before" player. */
    async beforeAudio(publicId: string): Promise<ResultFile | undefined> {
      const row = d.doneRow(publicId);
      if (!row?.resultPath) return undefined;
      const path = beforeAudioPathOf(row.resultPath);
      const st = await files.stat(path);
      if (!st) return undefined;
      const base = row.originalName.replace(/\.[^.]{1,8}$/, "") || "audio";
      return { path, name: `${base}_original.flac`, bytes: st.bytes, mime: "audio/flac" };
    },
    /** Every format this master can be had in, and where each stands. */
    async alternates(
      publicId: string,
    ): Promise<{ source: FormatId; reencodable: boolean; formats: AlternateState[] }> {
      const row = d.doneRow(publicId);
      if (!row) throw new AppError("job_not_ready", 409, { id: publicId });
      const source = deliveredFormat(row);
      const reencodable = !FORMATS.find((f) => f.id === source)?.lossy;
      return { source, reencodable, formats: await Promise.all(FORMATS.map((f) => stateOf(row, f.id))) };
    },
    /**
     * Starts encoding `format` unless it is there or under way; answers its state at once. Throws
     * format_source_lossy (409) when the master was delivered lossy.
     */
    async requestAlternate(publicId: string, format: FormatId): Promise<AlternateState> {
      const row = d.doneRow(publicId);
      if (!row) throw new AppError("job_not_ready", 409, { id: publicId });
      const now = await stateOf(row, format);
      if (now.status === "delivered" || now.status === "ready" || now.status === "encoding") return now;
      const source = deliveredFormat(row);
      if (FORMATS.find((f) => f.id === source)?.lossy)
        throw new AppError("format_source_lossy", 409, { format: source });
      const key = `${row.publicId}:${format}`;
      // Two requests that both read "none" above: the first one starts the encode.
      if (encoding.has(key)) return stateOf(row, format);
      failures.delete(key);
      const run = tail.then(() => encode(row, format)).finally(() => encoding.delete(key));
      encoding.set(key, run);
      tail = run;
      return stateOf(row, format);
    },
    /** The encoded file of `format`, when ready (the delivered format is the result itself). */
    async alternateFile(publicId: string, format: FormatId): Promise<ResultFile | undefined> {
      const row = d.doneRow(publicId);
      if (!row?.resultPath || !row.resultName) return undefined;
      const state = await stateOf(row, format);
      const f = FORMATS.find((x) => x.id === format);
      if (!f) return undefined;
      if (state.status === "delivered")
        return {
          path: row.resultPath,
          name: row.resultName,
          bytes: row.resultBytes ?? 0,
          mime: row.resultMime ?? f.mime,
        };
      if (state.status !== "ready") return undefined;
      return {
        path: alternatePathsOf(row.resultPath, format).file,
        name: resultNameFor(row.originalName, row.kind, f.extension),
        bytes: state.bytes ?? 0,
        mime: f.mime,
      };
    },
    /** Resolves when no encode is running (tests, shutdown). */
    idle: (): Promise<void> => tail,
  };
}

export type ResultExtras = ReturnType<typeof createResultExtras>;
