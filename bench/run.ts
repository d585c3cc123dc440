// Runs every benchmark script in bench/ (except helpers) one after another and prints their lines.
import { readdirSync } from "node:fs";
import { join } from "node:path";

const only = process.argv.slice(2);
const scripts = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "lib.ts"].includes(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const s of scripts) {
  console.log(`\n## ${s}`);
  const p = Bun.spawn(["bun", join(import.meta.dir, s)], { stdout: "inherit", stderr: "inherit" });
  const code = await p.exited;
  if (code !== 0) console.log(`(${s} exited with ${code})`);
}
