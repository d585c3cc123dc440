// The Postgres twin of src/db/schema: the same tables, columns, defaults, constraints and index names, in
// the same area files, so every store's SQL means the same on both backends (test/unit/db/pg-schema-parity.test.ts
// compares them). What differs is only the type spelling: SQLite's 64-bit INTEGER is BIGINT here (times stay
// unix milliseconds), REAL is DOUBLE PRECISION, boolean-mode integers are BOOLEAN, JSON text is JSONB, and
// autoincrement keys are identity columns (BY DEFAULT, so a copy from SQLite can keep its ids).
// Column meanings are documented there, not repeated here.
// Change it together with src/db/schema and a generated migration (`bun run db:generate:pg -- --name …`).

export * from "./accounts";
export * from "./audit";
export * from "./billing";
export * from "./jobs";
export * from "./ops";
export * from "./settings";
export * from "./tiers";
