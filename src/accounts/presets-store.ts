// SQL of saved chain presets (user_presets). Every statement is scoped by user_id: one user's preset id
// never reaches another user's row. Returns rows or undefined and never decides policy.

import { and, asc, eq, sql } from "drizzle-orm";
import { type DbHandle, schema, withImmediateTx } from "../db";

const { userPresets } = schema;

export type PresetRow = typeof userPresets.$inferSelect;

export function listPresets(h: DbHandle, userId: number): PresetRow[] {
  return h.db
    .select()
    .from(userPresets)
    .where(eq(userPresets.userId, userId))
    .orderBy(asc(userPresets.createdAt), asc(userPresets.id))
    .all();
}

export function findPreset(h: DbHandle, userId: number, publicId: string): PresetRow | undefined {
  return h.db
    .select()
    .from(userPresets)
    .where(and(eq(userPresets.userId, userId), eq(userPresets.publicId, publicId)))
    .get();
}

export function findPresetByName(h: DbHandle, userId: number, name: string): PresetRow | undefined {
  return h.db
    .select()
    .from(userPresets)
    .where(and(eq(userPresets.userId, userId), eq(userPresets.name, name)))
    .get();
}

/** Inserts unless the user already has `max` presets (checked in the same write transaction). */
export function insertPreset(
  h: DbHandle,
  row: { publicId: string; userId: number; name: string; settings: string; now: number },
  max: number,
): PresetRow | "limit" {
  return withImmediateTx(h.sqlite, () => {
    const n =
      h.db
        .select({ n: sql<number>`count(*)` })
        .from(userPresets)
        .where(eq(userPresets.userId, row.userId))
        .get()?.n ?? 0;
    if (n >= max) return "limit";
    const out = h.db
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
  });
}

export function updatePreset(
  h: DbHandle,
  userId: number,
  publicId: string,
  set: { name: string; settings: string; now: number },
): PresetRow | undefined {
  return h.db
    .update(userPresets)
    .set({ name: set.name, settings: set.settings, updatedAt: set.now })
    .where(and(eq(userPresets.userId, userId), eq(userPresets.publicId, publicId)))
    .returning()
    .get();
}

export function deletePreset(h: DbHandle, userId: number, publicId: string): boolean {
  return (
    h.db
      .delete(userPresets)
      .where(and(eq(userPresets.userId, userId), eq(userPresets.publicId, publicId)))
      .returning({ id: userPresets.id })
      .all().length === 1
  );
}
