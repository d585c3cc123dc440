// Reads the environment (plus an optional env file) once, validates every variable with zod and
// returns a typed Config. Nothing else in src/ reads process.env.

import { readFileSync } from "node:fs";
import { type Config, ENV_NAMES, ENV_SPEC, type EnvName, isSecret } from "./schema";

export { configMarkdownTable, envFileTemplate } from "./docs";
export type { Config, EnvName } from "./schema";
export { ENV_NAMES, ENV_SPEC, isSecret } from "./schema";

export type EnvSource = Record<string, string | undefined>;

/** One line of the `validate-env` report. */
export type EnvReportRow = {
  name: EnvName;
  value: string;
  source: "env" | "default";
  ok: boolean;
  error?: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: { name: string; error: string }[]) {
    super(problems.map((p) => `${p.name}: ${p.error}`).join("\n"));
    this.name = "ConfigError";
  }
}

/**
 * Parses `KEY=value` lines (comments, blank lines, `export ` prefixes and quotes allowed).
 * Throws ConfigError naming the file and line for anything else.
 */
export function parseEnvFile(path: string): EnvSource {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError([{ name: "--env-file", error: `cannot read ${path}: ${(err as Error).message}` }]);
  }
  const out: EnvSource = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new ConfigError([{ name: "--env-file", error: `${path}:${i + 1}: expected KEY=value` }]);
    let value = m[2] ?? "";
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1] as string] = value;
  });
  return out;
}

function check(name: EnvName, raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const result = ENV_SPEC[name].schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return {
    ok: false,
    error: `${issue?.message ?? "invalid"} (got "${isSecret(name) ? "<redacted>" : raw}")`,
  };
}

/**
 * Validates every variable. The env file fills only variables the real environment leaves unset,
 * so systemd's EnvironmentFile and an explicit `VAR=… magic-master` both win over the file.
 */
export function loadConfig(env: EnvSource, envFile?: string): Config {
  const merged: EnvSource = { ...(envFile ? parseEnvFile(envFile) : {}), ...env };
  const problems: { name: string; error: string }[] = [];
  const values: Record<string, unknown> = {};
  for (const name of ENV_NAMES) {
    const raw = merged[name] ?? ENV_SPEC[name].default;
    const r = check(name, raw);
    if (r.ok) values[name] = r.value;
    else problems.push({ name, error: r.error });
  }
  if (problems.length) throw new ConfigError(problems);
  return values as Config;
}

/** Every variable with its (masked) value and verdict, for `magic-master validate-env`. */
export function envReport(env: EnvSource, envFile?: string): EnvReportRow[] {
  const merged: EnvSource = { ...(envFile ? parseEnvFile(envFile) : {}), ...env };
  return ENV_NAMES.map((name) => {
    const given = merged[name];
    const raw = given ?? ENV_SPEC[name].default;
    const r = check(name, raw);
    const value = isSecret(name) && raw !== "" ? "<redacted>" : raw;
    return {
      name,
      value,
      source: given === undefined ? "default" : "env",
      ok: r.ok,
      ...(r.ok ? {} : { error: r.error }),
    };
  });
}
