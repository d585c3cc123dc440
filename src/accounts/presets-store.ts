// The store of saved chain presets (user_presets). Every method is scoped by user id: one user's preset id
// never reaches another user's row. Returns rows or undefined and never decides policy; a name another
// preset of the user holds comes back as "name_taken" (the unique index decides, race-free). SQLite:
// ./sqlite/presets.ts.

import type { schema } from "../db";

export type PresetRow = typeof schema.userPresets.$inferSelect;

export type NewPreset = { publicId: string; userId: number; name: string; settings: string; now: number };

export interface PresetStore {
  /** The user's presets, oldest first. */
  list(userId: number): PresetRow[];
  find(userId: number, publicId: string): PresetRow | undefined;
  findByName(userId: number, name: string): PresetRow | undefined;
  /** Inserts unless the user already has `max` presets (checked in the same write transaction). */
  insertCapped(row: NewPreset, max: number): PresetRow | "limit" | "name_taken";
  update(
    userId: number,
    publicId: string,
    set: { name: string; settings: string; now: number },
  ): PresetRow | "name_taken" | undefined;
  /** False when the user has no such preset. */
  delete(userId: number, publicId: string): boolean;
}
