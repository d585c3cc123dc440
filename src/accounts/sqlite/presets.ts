// The presets store on SQLite.

import { and, asc, eq, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../../db";
import type { PresetRow, PresetStore } from "../presets-store";
import { isUniqueViolation } from "./tx";

const { userPresets } = schema;

const nameTaken = <T>(fn: () => T): T | "name_taken" => {
  try {
    return fn();
  } catch (err) {
    if (isUniqueViolation(err)) return "name_taken";
    throw err;
  }
};

export function createSqlitePresetStore(h: DbHandle): PresetStore {
  const db = h.db;
  const mine = (userId: number, publicId: string) =>
    and(eq(userPresets.userId, userId), eq(userPresets.publicId, publicId));
  return {
    list: (userId) =>
      db
        .select()
        .from(userPresets)
        .where(eq(userPresets.userId, userId))
        .orderBy(asc(userPresets.createdAt), asc(userPresets.id))
        .all(),
    find: (userId, publicId) => db.select().from(userPresets).where(mine(userId, publicId)).get(),
    findByName: (userId, name) =>
      db
        .select()
        .from(userPresets)
        .where(and(eq(userPresets.userId, userId), eq(userPresets.name, name)))
        .get(),
    insertCapped: (row, max) =>
      nameTaken(() =>
        withImmediateTx(h.sqlite, (): PresetRow | "limit" => {
          const n =
            db
              .select({ n: sql<number>`count(*)` })
              .from(userPresets)
              .where(eq(userPresets.userId, row.userId))
              .get()?.n ?? 0;
          if (n >= max) return "limit";
          const out = db
            .insert(userPresets)
            .values({
              publicId: row.publicId,
              userId: row.userId,
              name: row.name,
              settings: row.settings,
              createdAt: row.now,
              updatedAt: row.now,
            })
            .returning()
            .get();
          if (!out) throw new Error("presets: insert returned nothing");
          return out;
        }),
      ),
    update: (userId, publicId, set) =>
      nameTaken(() =>
        db
          .update(userPresets)
          .set({ name: set.name, settings: set.settings, updatedAt: set.now })
          .where(mine(userId, publicId))
          .returning()
          .get(),
      ),
    delete: (userId, publicId) =>
      db.delete(userPresets).where(mine(userId, publicId)).returning({ id: userPresets.id }).all().length ===
      1,
  };
}
