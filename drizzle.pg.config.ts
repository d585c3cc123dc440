import { defineConfig } from "drizzle-kit";

// The Postgres schema's migrations (MM_DATABASE_URL=postgres://…), beside the SQLite ones in ./migrations.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/pg/schema.ts",
  out: "./migrations/postgres",
});
