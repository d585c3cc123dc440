// Documentation generated from the schema: the README's configuration table and the commented env
// file template that `install.sh --system` writes. A test keeps README in step with the schema.
import { ENV_NAMES, ENV_SPEC, isSecret } from "./schema";

/** Markdown table: variable, default, description. */
export function configMarkdownTable(): string {
  const rows = ENV_NAMES.map((name) => {
    const spec = ENV_SPEC[name];
    const def = name === "MM_WORKERS" ? "CPU count" : spec.default === "" ? "(empty)" : `\`${spec.default}\``;
    return `| \`${name}\` | ${def} | ${spec.describe}${isSecret(name) ? " (secret, never logged)" : ""} |`;
  });
  return ["| Variable | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}

/** A commented env file: every variable present, commented out at its default. */
export function envFileTemplate(): string {
  const lines = [
    "# Magic Master configuration (read by systemd: EnvironmentFile=/etc/magic-master/env).",
    "# Uncomment and change what you need, then: systemctl restart magic-master",
    "# Check it with: magic-master --env-file /etc/magic-master/env validate-env",
    "",
  ];
  for (const name of ENV_NAMES) {
    const spec = ENV_SPEC[name];
    lines.push(`# ${spec.describe}`);
    lines.push(`#${name}=${name === "MM_WORKERS" ? "" : spec.default}`);
    lines.push("");
  }
  return lines.join("\n");
}
