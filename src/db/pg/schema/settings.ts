// The Postgres twin of src/db/schema/settings.ts (column meanings are documented there).

import { bigint, pgTable, text } from "drizzle-orm/pg-core";
import { now } from "./columns";

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});
