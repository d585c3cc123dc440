// The only place that spawns ffmpeg/ffprobe. Arguments are always an array (never a shell string);
// every run honours an AbortSignal and a timeout, reports progress from `-progress pipe:1`, removes
// partial outputs on failure and keeps the stderr tail so errors say what ffmpeg said. A decode budget
// (budget.ts) bounds what a pass may produce, whatever the input's header claimed.

import { rm } from "node:fs/promises";
import { AppError } from "../errors";
import { budgetExceeded, type DecodeBudget } from "./budget";
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
  /**
   * Most bytes this run may produce: counted on stdout for a streamed run; for a run writing a file
   * (the last argument, listed in `outputs`) ffmpeg's own `-fs` stops it there. Past the budget the run
   * fails with audio_decodes_longer (422) and its outputs are removed.
   */
  budget?: DecodeBudget;
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

/** A finished child process: what ran and the CPU it used (user + system, its own threads included). */
export type RunRecord = {
  tool: string;
  args: string[];
  cpu_s: number;
  wall_s: number;
  code: number;
  /** performance.now() at spawn and after exit: when runs overlapped (one-lane jobs must not). */
  started_ms: number;
  ended_ms: number;
  /** Its stdout was samples Bun folded while it ran (runFfmpegStream), not text read at the end. */
  streamed: boolean;
};
let observer: ((r: RunRecord) => void) | null = null;

/**
 * Calls `cb` for every child that exits (null stops it). For benches: a parent's cutime only grows when a
 * child is reaped, so per-pass CPU read from /proc/self/stat goes to whichever pass reaps it; concurrent
 * passes (analysis beside the chain, render beside its meter) need each child's own figure.
 */
export function observeRuns(cb: ((r: RunRecord) => void) | null): void {
  observer = cb;
}

type Mode = { kind: "text" } | { kind: "stream"; onChunk: (chunk: Uint8Array) => void; totalBytes?: number };
type Outcome = { stderr: string; stdout: string };

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

async function readStream(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  totalBytes: number | undefined,
  onProgress: ((fraction: number) => void) | undefined,
  budget: { bytes: number; onExceeded: () => void } | undefined,
): Promise<void> {
  let seen = 0;
  let reported = 0;
  for await (const chunk of stream) {
    seen += chunk.length;
    if (budget && seen > budget.bytes) {
      // Stop reading: the process is killed, nothing past the budget reaches the caller.
      budget.onExceeded();
      return;
    }
    onChunk(chunk);
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
  const started = performance.now();
  let stopped: "cancelled" | "timeout" | "budget" | null = null;
  const stop = (why: "cancelled" | "timeout" | "budget") => {
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
  const stdoutDone =
    mode.kind === "stream"
      ? readStream(
          proc.stdout,
          mode.onChunk,
          mode.totalBytes,
          opts.onProgress,
          opts.budget && { bytes: opts.budget.bytes, onExceeded: () => stop("budget") },
        )
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
    if (observer) {
      const cpu = proc.resourceUsage()?.cpuTime.total ?? 0n;
      const ended = performance.now();
      observer({
        tool: bin,
        args,
        cpu_s: Number(cpu) / 1e6,
        wall_s: (ended - started) / 1000,
        code,
        started_ms: started,
        ended_ms: ended,
        streamed: mode.kind === "stream",
      });
    }
    const stderr = tail.join("\n");
    if (
      stopped === "budget" ||
      (code === 0 && opts.budget && (await overBudget(opts.outputs, opts.budget)))
    ) {
      await removeAll(opts.outputs);
      throw budgetExceeded(opts.budget as DecodeBudget);
    }
    if (stopped || opts.signal?.aborted) {
      await removeAll(opts.outputs);
      throw new AppError(stopped === "timeout" ? "timeout" : "cancelled", stopped === "timeout" ? 504 : 409);
    }
    if (code !== 0) {
      await removeAll(opts.outputs);
      throw new AppError("ffmpeg_failed", 500, {}, new FfmpegError(code, stderr, args));
    }
    return { stderr, stdout };
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

/** ffmpeg's -fs stops writing once the file reaches the limit, so a file at or past it means "cut short". */
async function overBudget(outputs: string[] | undefined, budget: DecodeBudget): Promise<boolean> {
  for (const p of outputs ?? []) if (Bun.file(p).size >= budget.bytes) return true;
  return false;
}

/** A file-writing run's budget becomes `-fs` on its output, which must be the last argument. */
function withFileLimit(args: string[], opts: RunOptions): string[] {
  if (!opts.budget) return args;
  const last = args[args.length - 1];
  if (last === undefined || !opts.outputs?.includes(last))
    throw new Error("a budgeted ffmpeg run writing a file must end with an output listed in `outputs`");
  return [...args.slice(0, -1), "-fs", String(opts.budget.bytes), last];
}

function ffmpegArgs(args: string[], opts: RunOptions): string[] {
  const progress = opts.onProgress ? ["-progress", "pipe:1"] : [];
  return ["-hide_banner", "-nostdin", "-nostats", ...SINGLE_THREADED, ...progress, ...args];
}

/**
 * Runs ffmpeg with `args` (the runner adds -hide_banner -nostdin -nostats and, with onProgress,
 * -progress pipe:1). Throws AppError ffmpeg_failed (cause: FfmpegError with the stderr tail),
 * ffmpeg_missing, cancelled, timeout or audio_decodes_longer (past `budget`); on any of them the listed
 * outputs are removed.
 */
export async function runFfmpeg(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(audioTools().ffmpeg, ffmpegArgs(withFileLimit(args, opts), opts), opts, {
    kind: "text",
  });
  return { stderr: r.stderr, stdout: r.stdout };
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
