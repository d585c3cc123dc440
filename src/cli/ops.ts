// Operator verbs: validate-env, smoke-check [--url URL], version.
import { configureAudioTools, ffmpegVersion, runFfmpeg } from "../audio";
import { configMarkdownTable, envFileTemplate, envReport } from "../config";
import { formatSmokeTable, httpChecks, runSmoke } from "../ops";
import { VERSION } from "../version";
import { parseArgs } from "./args";
import { cliContext, withServices } from "./context";
import { type Command, UsageError } from "./types";

const validateEnv: Command = {
  summary: "print every configuration variable, its value (secrets masked) and ok/error",
  usage: "usage: magic-master validate-env [--json | --template | --markdown]",
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, {
      json: { type: "boolean" },
      template: { type: "boolean" },
      markdown: { type: "boolean" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (flags.template) {
      io.out(envFileTemplate());
      return 0;
    }
    if (flags.markdown) {
      io.out(configMarkdownTable());
      return 0;
    }
    const rows = envReport(io.env, io.envFile);
    if (flags.json) io.out(JSON.stringify(rows, null, 2));
    else {
      const w = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows)
        io.out(
          `${r.ok ? "ok   " : "ERROR"}  ${r.name.padEnd(w)}  ${JSON.stringify(r.value)}${r.source === "default" ? " (default)" : ""}${r.error ? `  ← ${r.error}` : ""}`,
        );
    }
    return rows.every((r) => r.ok) ? 0 : 1;
  },
};

const smokeCheck: Command = {
  summary: "check a running service, the database, the data folder and ffmpeg; PASS/FAIL table",
  usage: "usage: magic-master smoke-check [--url URL] [--json]   (default URL: http://MM_HOST:PORT)",
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { url: { type: "string" }, json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const ctx = cliContext(io);
    const { config } = ctx;
    configureAudioTools({ ffmpeg: config.MM_FFMPEG, ffprobe: config.MM_FFPROBE });
    const url = typeof flags.url === "string" ? flags.url : `http://${config.MM_HOST}:${config.PORT}`;
    return withServices(ctx, async (s) => {
      const tone = async () => {
        await runFfmpeg(
          [
            "-hide_banner",
            "-nostdin",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=1000:duration=0.2",
            "-f",
            "null",
            "-",
          ],
          {
            timeoutMs: 15_000,
          },
        );
      };
      const rows = await runSmoke([...httpChecks(url), ...s.localChecks(tone)]);
      if (flags.json) io.out(JSON.stringify({ url, ok: rows.every((r) => r.ok), checks: rows }, null, 2));
      else io.out(formatSmokeTable(rows));
      return rows.every((r) => r.ok) ? 0 : 1;
    });
  },
};

const version: Command = {
  summary: "print the version (and ffmpeg's)",
  usage: "usage: magic-master version [--json]",
  async run(args, io) {
    const { flags } = parseArgs(args, { json: { type: "boolean" } });
    if (!flags.json) {
      io.out(`magic-master ${VERSION}`);
      return 0;
    }
    const ctx = cliContext(io);
    configureAudioTools({ ffmpeg: ctx.config.MM_FFMPEG, ffprobe: ctx.config.MM_FFPROBE });
    io.out(JSON.stringify({ version: VERSION, bun: Bun.version, ffmpeg: await ffmpegVersion() }));
    return 0;
  },
};

export const opsCommands: Record<string, Command> = {
  "validate-env": validateEnv,
  "smoke-check": smokeCheck,
  version,
};
