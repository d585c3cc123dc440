// The shape of a CLI verb. main.ts keeps the table of verbs; each verb lives in a file of src/cli/.

/** What a verb may touch: its arguments, the environment and the two output streams. */
export type CliIo = {
  env: Record<string, string | undefined>;
  /** Value of --env-file if given before the verb. */
  envFile?: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal (progress bars, colours). */
  isTty: boolean;
};

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export type ExitCode = 0 | 1 | 2;

export type Command = {
  /** One line for `magic-master help`. */
  summary: string;
  /** Usage text printed on a usage error. */
  usage: string;
  run(args: string[], io: CliIo): Promise<ExitCode>;
};

/** Thrown by argument parsing; main.ts prints the message and the verb's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
