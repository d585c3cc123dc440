// The only place that spawns ffmpeg/ffprobe. Arguments are always an array (never a shell string);
// every run honours an AbortSignal and a timeout, reports progress from `-progress pipe:1`, removes
// partial outputs on failure and keeps the stderr tail so errors say what ffmpeg said.

import { rm } from "node:fs/promises";
import { AppError } from "../errors";
import { audioTools } from "./tools";

export type RunOptions = {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Known duration of the audio being processed; with onProgress it turns out_time into a fraction. */
  durationS?: number;
  onProgress?: (fraction: number) => void;
  /** Files this run writes: deleted if it fails, times out or is aborted. */
  outputs?: string[];
  /** Every stderr line as it arrives (analysis parses per-frame ebur128 lines without buffering them). */
  onStderrLine?: (line: string) => void;
};

export type RunResult = { stderr: string; stdout: string };

/** The private cause of an `ffmpeg_failed` AppError: exit code and the last stderr lines. */
export class FfmpegError extends Error {
  constructor(
    readonly exitCode: number,
    readonly stderrTail: string,
    readonly args: string[],
  ) {
    super(`ffmpeg exited with ${exitCode}: ${stderrTail.split("\n").slice(-5).join(" | ")}`);
    this.name = "FfmpegError";
  }
}

const TAIL_LINES = 400;

type Mode =
  | { kind: "text" }
  | { kind: "bytes"; maxBytes: number }
  | { kind: "stream"; onChunk: (chunk: Uint8Array) => void; totalBytes?: number };
type Outcome = { stderr: string; stdout: string; bytes: Uint8Array };

function spawnOrThrow(cmd: string[]): Bun.Subprocess<"ignore", "pipe", "pipe"> {
  try {
    return Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (err) {
    throw new AppError("ffmpeg_missing", 500, { tool: cmd[0] ?? "" }, err);
  }
}

async function readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split(/\r?\n|\r/);
    rest = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  rest += decoder.decode();
  if (rest) onLine(rest);
}

async function readBytes(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    // Callers ask for bounded windows; anything past the bound is drained and dropped.
    if (size >= maxBytes) continue;
    const take = chunk.subarray(0, maxBytes - size);
    chunks.push(take);
    size += take.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function readStream(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  totalBytes: number | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<void> {
  let seen = 0;
  let reported = 0;
  for await (const chunk of stream) {
    onChunk(chunk);
    seen += chunk.length;
    if (onProgress && totalBytes && totalBytes > 0 && seen - reported >= totalBytes / 200) {
      reported = seen;
      onProgress(Math.min(1, seen / totalBytes));
    }
  }
  onProgress?.(1);
}

async function removeAll(paths: string[] | undefined): Promise<void> {
  await Promise.all((paths ?? []).map((p) => rm(p, { force: true }).catch(() => undefined)));
}

async function run(bin: string, args: string[], opts: RunOptions, mode: Mode): Promise<Outcome> {
  if (opts.signal?.aborted) throw new AppError("cancelled", 409);
  const proc = spawnOrThrow([bin, ...args]);
  let stopped: "cancelled" | "timeout" | null = null;
  const stop = (why: "cancelled" | "timeout") => {
    if (stopped) return;
    stopped = why;
    proc.kill("SIGKILL");
  };
  const onAbort = () => stop("cancelled");
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = opts.timeoutMs ? setTimeout(() => stop("timeout"), opts.timeoutMs) : undefined;

  const tail: string[] = [];
  const stderrDone = readLines(proc.stderr, (line) => {
    opts.onStderrLine?.(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  });
  let stdout = "";
  let bytes: Uint8Array = new Uint8Array(0);
  const stdoutDone =
    mode.kind === "bytes"
      ? readBytes(proc.stdout, mode.maxBytes).then((b) => {
          bytes = b;
        })
      : mode.kind === "stream"
        ? readStream(proc.stdout, mode.onChunk, mode.totalBytes, opts.onProgress)
        : readLines(proc.stdout, (line) => {
            if (opts.onProgress && opts.durationS && opts.durationS > 0) {
              const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
              if (m) opts.onProgress(Math.min(1, Number(m[1]) / 1e6 / opts.durationS));
              else if (line === "progress=end") opts.onProgress(1);
              return;
            }
            stdout += `${line}\n`;
          });
  try {
    const [code] = await Promise.all([proc.exited, stderrDone, stdoutDone]);
    const stderr = tail.join("\n");
    if (stopped || opts.signal?.aborted) {
      await removeAll(opts.outputs);
      throw new AppError(stopped === "timeout" ? "timeout" : "cancelled", stopped === "timeout" ? 504 : 409);
    }
    if (code !== 0) {
      await removeAll(opts.outputs);
      throw new AppError("ffmpeg_failed", 500, {}, new FfmpegError(code, stderr, args));
    }
    return { stderr, stdout, bytes };
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Filter graphs run single-threaded. ffmpeg 5.1 otherwise slice-threads biquads, acrossover and
 * friends per channel and pays a thread hand-off per frame: on stereo audio that cost more than it
 * saved (standard chain over 3 min: 3.9 → 2.5 CPU-s, and less wall too). Jobs already run in
 * parallel processes, one core each.
 */
const SINGLE_THREADED = ["-filter_threads", "1", "-filter_complex_threads", "1"];

function ffmpegArgs(args: string[], opts: RunOptions): string[] {
  const progress = opts.onProgress ? ["-progress", "pipe:1"] : [];
  return ["-hide_banner", "-nostdin", "-nostats", ...SINGLE_THREADED, ...progress, ...args];
}

/**
 * Runs ffmpeg with `args` (the runner adds -hide_banner -nostdin -nostats and, with onProgress,
 * -progress pipe:1). Throws AppError ffmpeg_failed (cause: FfmpegError with the stderr tail),
 * ffmpeg_missing, cancelled or timeout; on any of them the listed outputs are removed.
 */
export async function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(audioTools().ffmpeg, ffmpegArgs(args, opts), opts, { kind: "text" });
  return { stderr: r.stderr, stdout: r.stdout };
}

/** Runs ffmpeg writing raw samples to stdout (`pipe:1`); returns at most maxBytes of them. */
export async function runFfmpegBytes(
  args: string[],
  maxBytes: number,
  opts: Omit<RunOptions, "onProgress"> = {},
): Promise<Uint8Array> {
  const r = await run(audioTools().ffmpeg, ffmpegArgs(args, {}), opts, { kind: "bytes", maxBytes });
  return r.bytes;
}

/**
 * Runs ffmpeg writing raw samples to stdout (`pipe:1`) and hands every chunk to `onChunk` as it
 * arrives (nothing is buffered: the caller folds the stream into bounded statistics). Progress is
 * the share of `totalBytes` seen so far.
 */
export async function runFfmpegStream(
  args: string[],
  onChunk: (chunk: Uint8Array) => void,
  opts: RunOptions & { totalBytes?: number } = {},
): Promise<RunResult> {
  const r = await run(audioTools().ffmpeg, ffmpegArgs(args, {}), opts, {
    kind: "stream",
    onChunk,
    totalBytes: opts.totalBytes,
  });
  return { stderr: r.stderr, stdout: "" };
}

/** Runs ffprobe; stdout is returned whole (JSON is small). */
export async function runFfprobe(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(audioTools().ffprobe, ["-hide_banner", ...args], opts, { kind: "text" });
  return { stderr: r.stderr, stdout: r.stdout };
}

/** The ffmpeg version string (e.g. "5.1.6-0+deb12u1"), or null when ffmpeg cannot run. */
export async function ffmpegVersion(): Promise<string | null> {
  try {
    const r = await run(audioTools().ffmpeg, ["-version"], { timeoutMs: 10_000 }, { kind: "text" });
    return /ffmpeg version (\S+)/.exec(r.stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}
