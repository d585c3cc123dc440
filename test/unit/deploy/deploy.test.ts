// The files an operator installs: the systemd unit, install.sh and the CI script.
import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");
const unit = readFileSync(join(ROOT, "magic-master.service"), "utf8");

describe("magic-master.service", () => {
  it("runs as magic-master with the env file, restarts on failure and is hardened", () => {
    for (const line of [
      "User=magic-master",
      "EnvironmentFile=-/etc/magic-master/env",
      "Restart=on-failure",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ReadWritePaths=/var/lib/magic-master",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "PrivateDevices=yes",
    ])
      expect(unit).toContain(line);
    expect(unit).toMatch(/^TimeoutStopSec=\d+/m);
  });

  // Debian CI images carry systemd; a container without it cannot run this one check, and says so.
  const noSystemd = Bun.which("systemd-analyze") === null;
  if (noSystemd)
    console.warn(
      "skip: systemd-analyze verify, because systemd-analyze is not installed (apt-get install systemd)",
    );
  it.skipIf(noSystemd)("passes systemd-analyze verify", () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-unit-"));
    // verify insists ExecStart exists and is executable; point it at /bin/true, nothing else changes.
    writeFileSync(
      join(dir, "magic-master.service"),
      unit.replace("/usr/local/bin/magic-master", "/bin/true"),
    );
    const r = Bun.spawnSync(["systemd-analyze", "verify", join(dir, "magic-master.service")], {
      stderr: "pipe",
    });
    const stderr = r.stderr
      .toString()
      .split("\n")
      .filter((l) => l.includes("magic-master.service"));
    expect(stderr).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});

describe("install.sh and .ci/run", () => {
  const install = readFileSync(join(ROOT, "install.sh"), "utf8");
  const ci = readFileSync(join(ROOT, ".ci/run"), "utf8");
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("install.sh is strict, installs bun and ffmpeg only when missing and uses the lockfile", () => {
    expect(install).toContain("set -euo pipefail");
    expect(install).toMatch(/command -v bun[\s\S]*npm i -g bun/);
    expect(install).toMatch(/command -v ffmpeg[\s\S]*apt_install ffmpeg/);
    expect(install).toContain("bun install --frozen-lockfile");
    expect(install).toContain("if [ ! -f /etc/magic-master/env ]");
  });

  it("install.sh parses as bash", () => {
    expect(Bun.spawnSync(["bash", "-n", join(ROOT, "install.sh")]).exitCode).toBe(0);
    expect(Bun.spawnSync(["bash", "-n", join(ROOT, ".ci/run")]).exitCode).toBe(0);
  });

  it("README opens with the two quick-start commands and CI runs the same test command", () => {
    const quick = readme.split("## Quick start")[1]?.split("##")[0] ?? "";
    const commands = [...quick.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands[0]).toContain("./install.sh");
    const testCommand = commands[1] as string;
    expect(ci).toContain(testCommand);
    expect(ci).toContain("bun run lint");
    expect(ci).toContain("bun run typecheck");
  });
});

// The scale-out units (README "Scaling out"): one per role, each with its own state folder.
describe("deploy/ units per role", () => {
  const units: [string, string][] = [
    ["magic-master-api.service", "api"],
    ["magic-master-worker@.service", "worker"],
    ["magic-master-leader.service", "bot,scheduler"],
  ];
  const noSystemd = Bun.which("systemd-analyze") === null;
  if (noSystemd)
    console.warn("skip: systemd-analyze verify of deploy/, because systemd-analyze is not installed");
  for (const [name, roles] of units) {
    const text = readFileSync(join(ROOT, "deploy", name), "utf8");
    it(`${name} runs serve --role ${roles} as magic-master, hardened, with a state folder of its own`, () => {
      expect(text).toContain(`ExecStart=/usr/local/bin/magic-master serve --role ${roles}\n`);
      for (const line of [
        "User=magic-master",
        "EnvironmentFile=-/etc/magic-master/env",
        "ProtectSystem=strict",
      ])
        expect(text).toContain(line);
      const state = text.match(/^StateDirectory=(.+)$/m)?.[1];
      expect(text).toContain(`Environment=MM_DATA_DIR=/var/lib/${state}\n`);
    });
    it.skipIf(noSystemd)(`${name} passes systemd-analyze verify`, () => {
      const dir = mkdtempSync(join(tmpdir(), "mm-unit-"));
      const file = join(dir, name.replace("@.", "@1."));
      writeFileSync(file, text.replace("/usr/local/bin/magic-master", "/bin/true"));
      const r = Bun.spawnSync(["systemd-analyze", "verify", file], { stderr: "pipe" });
      const stderr = r.stderr
        .toString()
        .split("\n")
        .filter((l) => l.includes("magic-master-"));
      expect(stderr).toEqual([]);
      expect(r.exitCode).toBe(0);
    });
  }
});
