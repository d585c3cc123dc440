// The settings area's table (src/settings owns it).

import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

/** Runtime settings and feature flags (JSON values), changed without a restart. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});
