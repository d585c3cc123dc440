// The presets store on Postgres (contract: ../presets-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { PresetRow, PresetStore } from "../presets-store";
import { cols, unlessUnique } from "./sql";

const PRESET = cols(schema.userPresets);

export function createPgPresetStore(pg: PgClient): PresetStore {
  return {
    list: (userId) =>
      pg.all<PresetRow>(`SELECT ${PRESET} FROM user_presets WHERE user_id = $1 ORDER BY created_at, id`, [
        userId,
      ]),
    find: (userId, publicId) =>
      pg.get<PresetRow>(`SELECT ${PRESET} FROM user_presets WHERE user_id = $1 AND public_id = $2`, [
        userId,
        publicId,
      ]),
    findByName: (userId, name) =>
      pg.get<PresetRow>(`SELECT ${PRESET} FROM user_presets WHERE user_id = $1 AND name = $2`, [
        userId,
        name,
      ]),
    insertCapped: (row, max) =>
      unlessUnique(
        pg,
        (): PresetRow | "limit" => {
          // The user's row lock makes count-then-insert one step per user (SQLite: BEGIN IMMEDIATE).
          pg.run("SELECT id FROM users WHERE id = $1 FOR UPDATE", [row.userId]);
          const n = pg.get<{ n: number }>("SELECT count(*) AS n FROM user_presets WHERE user_id = $1", [
            row.userId,
          ]);
          if ((n?.n ?? 0) >= max) return "limit";
          const out = pg.get<PresetRow>(
            `INSERT INTO user_presets (public_id, user_id, name, settings, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${PRESET}`,
            [row.publicId, row.userId, row.name, row.settings, row.now],
          );
          if (!out) throw new Error("presets: insert returned nothing");
          return out;
        },
        "name_taken" as const,
      ),
    update: (userId, publicId, set) =>
      unlessUnique(
        pg,
        () =>
          pg.get<PresetRow>(
            `UPDATE user_presets SET name = $3, settings = $4, updated_at = $5 WHERE user_id = $1 AND public_id = $2
             RETURNING ${PRESET}`,
            [userId, publicId, set.name, set.settings, set.now],
          ),
        "name_taken" as const,
      ),
    delete: (userId, publicId) =>
      pg.run("DELETE FROM user_presets WHERE user_id = $1 AND public_id = $2", [userId, publicId]) === 1,
  };
}
