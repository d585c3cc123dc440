import { defineConfig } from "drizzle-kit";

// The Postgres schema's migrations (MM_DATABASE_URL=postgres://…), beside the SQLite ones in ./migrations.
// One schema file per area under src/db/pg/schema; index.ts only re-exports them, so it is left out.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/pg/schema/!(index).ts",
  out: "./migrations/postgres",
});
