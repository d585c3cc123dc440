// Saved chain presets: a user's named mastering settings, at most MAX_PRESETS each, validated by the same
// zod schema a master's settings are (audio's MasterSettingsSchema), so a preset that saves is one a job
// accepts. Names are unique per user (trimmed, compared as written).

import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type MasterSettings, MasterSettingsSchema } from "../audio";
import { AppError } from "../errors";
import type { PresetRow, PresetStore } from "./presets-store";

export const MAX_PRESETS = 50;

export const PresetInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  settings: MasterSettingsSchema,
});
export type PresetInput = z.infer<typeof PresetInput>;

export type Preset = {
  id: string;
  name: string;
  settings: MasterSettings;
  createdAt: number;
  updatedAt: number;
};

export interface Presets {
  list(userId: number): Preset[];
  /** Throws preset_not_found (404), also for another user's preset. */
  get(userId: number, id: string): Preset;
  /** Throws preset_limit_reached (409) at MAX_PRESETS, preset_name_taken (409) for a used name. */
  create(userId: number, input: PresetInput): Preset;
  /** Replaces name and settings. Throws preset_not_found, preset_name_taken. */
  replace(userId: number, id: string, input: PresetInput): Preset;
  /** Throws preset_not_found. */
  remove(userId: number, id: string): void;
}

/** A unique-name race between the check and the write lands on the index: the same 409. */
const nameTakenError = (name: string) => new AppError("preset_name_taken", 409, { name });

const toPreset = (r: PresetRow): Preset => ({
  id: r.publicId,
  name: r.name,
  // Written only after MasterSettingsSchema accepted it.
  settings: JSON.parse(r.settings) as MasterSettings,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** "p_" + 12 url-safe random characters: unguessable, and no count of anyone's presets in it. */
const newPresetId = () => `p_${randomBytes(9).toString("base64url")}`;

export function createPresets(store: PresetStore, now: () => number = Date.now): Presets {
  const notFound = (id: string) => new AppError("preset_not_found", 404, { id: id.slice(0, 40) });
  const nameTaken = (userId: number, name: string, except?: string) => {
    const other = store.findByName(userId, name);
    if (other && other.publicId !== except) throw nameTakenError(name);
  };
  const mustFind = (userId: number, id: string) => {
    const r = store.find(userId, id);
    if (!r) throw notFound(id);
    return r;
  };
  return {
    list: (userId) => store.list(userId).map(toPreset),
    get: (userId, id) => toPreset(mustFind(userId, id)),
    create(userId, input) {
      const p = PresetInput.parse(input);
      nameTaken(userId, p.name);
      const row = store.insertCapped(
        { publicId: newPresetId(), userId, name: p.name, settings: JSON.stringify(p.settings), now: now() },
        MAX_PRESETS,
      );
      if (row === "name_taken") throw nameTakenError(p.name);
      if (row === "limit") throw new AppError("preset_limit_reached", 409, { limit: MAX_PRESETS });
      return toPreset(row);
    },
    replace(userId, id, input) {
      const p = PresetInput.parse(input);
      mustFind(userId, id);
      nameTaken(userId, p.name, id);
      const row = store.update(userId, id, {
        name: p.name,
        settings: JSON.stringify(p.settings),
        now: now(),
      });
      if (row === "name_taken") throw nameTakenError(p.name);
      if (!row) throw notFound(id);
      return toPreset(row);
    },
    remove(userId, id) {
      if (!store.delete(userId, id)) throw notFound(id);
    },
  };
}
