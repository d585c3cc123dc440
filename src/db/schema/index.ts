// The drizzle schema: every table of the one SQLite file, one file per area that owns its tables (that
// area's store holds their SQL). Times are unix milliseconds (UTC) everywhere.
// Change it only together with a generated migration (`bun run db:generate -- --name what_and_why`);
// drizzle.config.ts reads every file here but this one, so a new area file is one more line below.

export * from "./accounts";
export * from "./audit";
export * from "./billing";
export * from "./jobs";
export * from "./ops";
export * from "./settings";
export * from "./tiers";
