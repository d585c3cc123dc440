import { defineConfig } from "drizzle-kit";

// One schema file per area under src/db/schema; index.ts only re-exports them, so it is left out.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/!(index).ts",
  out: "./migrations",
});
