// A small argv parser shared by the verbs: flags (--name value, --name=value, --flag), short aliases,
// and positionals. Unknown flags are a UsageError, so typos never pass silently.

import { UsageError } from "./types";

/** "list": a string flag that may repeat; its values are collected in `lists` (in order). */
export type FlagSpec = Record<string, { type: "string" | "boolean" | "list"; alias?: string }>;

export type Parsed = {
  flags: Record<string, string | boolean | undefined>;
  lists: Record<string, string[]>;
  positionals: string[];
};

/** Parses `args` against `spec`. Boolean flags also accept a `--no-` form when declared as `no-x`. */
export function parseArgs(args: string[], spec: FlagSpec): Parsed {
  const flags: Record<string, string | boolean | undefined> = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  const byAlias = new Map(Object.entries(spec).flatMap(([name, s]) => (s.alias ? [[s.alias, name]] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      name = byAlias.get(arg.slice(1)) ?? "";
      if (!name) throw new UsageError(`unknown option ${arg}`);
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--")))
        throw new UsageError(`--${name} needs a value`);
      if (s.type === "list") lists[name] = [...(lists[name] ?? []), value];
      else flags[name] = value;
    }
  }
  return { flags, lists, positionals };
}
