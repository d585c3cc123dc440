// Helpers the admin verbs share: the verb shape, argument checks and record output.

import type { Parsed, parseArgs } from "./args";
import { type CliServices, printRecord } from "./context";
import { type CliIo, type ExitCode, UsageError } from "./types";

/** Every change made from the CLI is audited (and ledger rows written) with this actor. */
export const ACTOR = "cli";

export type Verb = (p: Parsed, io: CliIo, s: CliServices) => Promise<ExitCode> | ExitCode;

/** Times are unix ms in the database; humans get ISO-8601 UTC. */
export const humanTimes = (r: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [
      k,
      /(_at|At|^since)$/.test(k) && typeof v === "number" ? new Date(v).toISOString() : v,
    ]),
  );

export const show = (io: CliIo, p: Parsed, record: Record<string, unknown>) =>
  printRecord(io, p.flags.json === true, p.flags.json === true ? record : humanTimes(record));

export const one = (p: Parsed, what: string): string => {
  const [v, extra] = p.positionals;
  if (!v) throw new UsageError(`missing ${what}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  return v;
};

export const positiveInt = (
  v: string | boolean | undefined,
  name: string,
  fallback: number,
  max: number,
): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be 1..${max}`);
  return n;
};

export type VerbSpec = { flags: Parameters<typeof parseArgs>[1]; run: Verb };
