#!/usr/bin/env bun
// Entry point of the one binary: parse argv, dispatch a verb. Each verb lives in src/cli/.

import { type CliIo, commands, UsageError } from "./cli";
import { ConfigError } from "./config";

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "usage: magic-master [--env-file FILE] <command> [options]",
    "",
    "commands:",
    ...lines,
    `  ${"help".padEnd(width)}  show this help`,
    "",
    "Exit codes: 0 ok, 1 failure, 2 usage error. Most commands accept --json.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    env: process.env,
    out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
    err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
    isTty: Boolean(process.stdout.isTTY),
  };
  const args = [...argv];
  while (args[0]?.startsWith("--env-file")) {
    const a = args.shift() as string;
    const value = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args.shift();
    if (!value) {
      io.err(`--env-file needs a path\n${usage()}`);
      return 2;
    }
    io.envFile = value;
  }
  const verb = args.shift() ?? "serve";
  if (verb === "help" || verb === "--help" || verb === "-h") {
    io.out(usage());
    return 0;
  }
  if (verb === "--version") return commands.version ? commands.version.run([], io) : 0;
  const command = commands[verb];
  if (!command) {
    io.err(`unknown command: ${verb}\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${verb}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`configuration error:\n${err.message}`);
      return 1;
    }
    io.err(`${verb}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// No top-level await: `--bytecode` compiles to CommonJS. `serve` resolves only after a graceful
// shutdown, so every verb ends here.
main(process.argv.slice(2)).then((code) => process.exit(code));
