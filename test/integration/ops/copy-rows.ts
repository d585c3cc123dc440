// What the copy tests between the backends share: the schema's table list, rows made comparable across
// SQLite and Postgres, and a verb run in-process with its output captured.
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { commands } from "../../../src/cli";
import type { CliIo } from "../../../src/cli/types";
import * as liteSchema from "../../../src/db/schema";

export type Row = Record<string, unknown>;
export const SCHEMA_TABLES = Object.values(liteSchema as Record<string, unknown>)
  .filter((v): v is SQLiteTable => is(v, SQLiteTable))
  .map(getTableName)
  .sort();

/** Runs the CLI verb `name` with `env` as its whole environment; its exit code and what it printed. */
export async function runCopyVerb(name: string, args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const verb = commands[name];
  if (!verb) throw new Error(`no ${name} verb`);
  const code = await verb.run(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Booleans as 0/1 and JSON as values on both sides, rows sorted by their text: comparable as sets. */
export function normal(rows: Row[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : v]),
        ),
      ),
    )
    .sort();
}
const JSON_COLUMNS: Record<string, string[]> = { stats_daily: ["revenue_minor", "refunds_minor"] };
export function parsedJson(table: string, rows: Row[]): Row[] {
  const cols = JSON_COLUMNS[table] ?? [];
  return rows.map((r) => {
    const o = { ...r };
    for (const c of cols) if (typeof o[c] === "string") o[c] = JSON.parse(o[c] as string);
    for (const c of cols) if (o[c] && typeof o[c] === "object") o[c] = sortKeys(o[c] as Row);
    return o;
  });
}
const sortKeys = (o: Row): Row =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
