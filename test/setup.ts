// Preloaded by bun test (bunfig.toml). Keeps test output quiet and deterministic.
process.env.TZ = "UTC";
