// Public face of the CLI: every verb by name (each lives in a file of this folder) and the I/O contract.
import { adminCommands } from "./admin";
import { albumCommand } from "./album";
import { audioCommands } from "./audio";
import { cronCommands } from "./cron";
import { dbCommands } from "./db";
import { migrateToPostgresCommand } from "./migrate-to-postgres";
import { migrateToSqliteCommand } from "./migrate-to-sqlite";
import { opsCommands } from "./ops";
import { serveCommand } from "./serve";
import type { Command } from "./types";

export { type CliIo, type Command, type ExitCode, UsageError } from "./types";

export const commands: Record<string, Command> = {
  serve: serveCommand,
  ...dbCommands,
  "migrate-to-postgres": migrateToPostgresCommand,
  "migrate-to-sqlite": migrateToSqliteCommand,
  ...opsCommands,
  ...audioCommands,
  album: albumCommand,
  ...adminCommands,
  ...cronCommands,
};
