// Runtime settings that change without a restart: feature flags, maintenance mode and small pieces of
// operational state (alert episodes). Stored in the `settings` table, read through a short cache so a hot
// path (every HTTP submission, every claim) costs no query, and a change from another process (the CLI)
// takes effect within `cacheMs`.

import { z } from "zod";
import { type Actor, actorOf, type Backend } from "../db";
import { AppError } from "../errors";
import { createSettingsStore } from "./store";

/** Flag names: lower snake case, so `flags set` typos are caught instead of silently creating a new flag. */
export const FLAG_NAME = /^[a-z][a-z0-9_]{1,39}$/;

const FLAG_PREFIX = "flag:";
const MAINTENANCE_KEY = "maintenance";
/** Operator messages end up in HTTP bodies and Telegram replies; keep them short. */
export const MAINTENANCE_MESSAGE_MAX = 500;

export type MaintenanceState = { on: boolean; message: string; since: number | null; by: string | null };

const maintenanceSchema = z.object({
  on: z.boolean(),
  message: z.string().max(MAINTENANCE_MESSAGE_MAX).catch(""),
  since: z.number().nullable().catch(null),
  by: z.string().nullable().catch(null),
});

const OFF: MaintenanceState = { on: false, message: "", since: null, by: null };

export interface Settings {
  /** The flag's value; `fallback` (default false) when it was never set or the stored value is not a boolean. */
  flag(name: string, fallback?: boolean): boolean;
  /** Every flag ever set, by name. */
  flags(): Record<string, boolean>;
  /** Sets a flag; audited with `actor` ("cli", "tg:<id>", "http:admin"). Throws `invalid_flag_name`. */
  setFlag(name: string, on: boolean, actor: string | Actor): void;
  isMaintenance(): boolean;
  /** The operator's message for users while maintenance is on ("" when none was given). */
  maintenanceMessage(): string;
  maintenance(): MaintenanceState;
  /** Turns maintenance on or off; audited. The message is kept only while on. */
  setMaintenance(on: boolean, message: string | undefined, actor: string | Actor): MaintenanceState;
  /** Reads a JSON value validated by `schema` (undefined when missing or malformed). Not cached. */
  readState<T>(key: string, schema: z.ZodType<T>): T | undefined;
  /** Writes a JSON value (not audited: for machine state such as alert episodes). */
  writeState(key: string, value: unknown): void;
}

export type SettingsOptions = { cacheMs?: number; now?: () => number };

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Builds the settings reader/writer over the backend's database. Reads are cached for `cacheMs` (default 2000 ms); writes
 * through this object refresh the cache at once.
 *
 * ```ts
 * const settings = createSettings(backend, { cacheMs: 2000 });
 * if (settings.isMaintenance()) return c.json(..., 503);
 * ```
 */
export function createSettings(
  backend: Backend,
  { cacheMs = 2000, now = Date.now }: SettingsOptions = {},
): Settings {
  const store = createSettingsStore(backend);
  let cached: { at: number; flags: Record<string, boolean>; maintenance: MaintenanceState } | null = null;

  const load = () => {
    const t = now();
    if (cached && t - cached.at < cacheMs) return cached;
    const flags: Record<string, boolean> = {};
    for (const row of store.list(FLAG_PREFIX)) {
      const v = parseJson(row.value);
      if (typeof v === "boolean") flags[row.key.slice(FLAG_PREFIX.length)] = v;
    }
    const raw = store.read(MAINTENANCE_KEY);
    const m = raw ? maintenanceSchema.safeParse(parseJson(raw.value)) : null;
    cached = { at: t, flags, maintenance: m?.success ? m.data : OFF };
    return cached;
  };

  return {
    flag: (name, fallback = false) => load().flags[name] ?? fallback,
    flags: () => ({ ...load().flags }),
    setFlag(name, on, actor) {
      if (!FLAG_NAME.test(name)) throw new AppError("invalid_flag_name", 400, { name });
      const before = load().flags[name] ?? null;
      store.write(`${FLAG_PREFIX}${name}`, JSON.stringify(on), now());
      store.audit({
        ...actorOf(actor),
        action: "flag_set",
        target: `flag:${name}`,
        details: { from: before, to: on },
        before,
        after: on,
      });
      cached = null;
    },
    isMaintenance: () => load().maintenance.on,
    maintenanceMessage: () => (load().maintenance.on ? load().maintenance.message : ""),
    maintenance: () => ({ ...load().maintenance }),
    setMaintenance(on, message, actor) {
      const text = (message ?? "").trim();
      if (text.length > MAINTENANCE_MESSAGE_MAX)
        throw new AppError("maintenance_message_too_long", 400, { max: MAINTENANCE_MESSAGE_MAX });
      const before = load().maintenance;
      const state: MaintenanceState = on
        ? { on: true, message: text, since: before.on ? before.since : now(), by: actorOf(actor).actor }
        : { ...OFF };
      store.write(MAINTENANCE_KEY, JSON.stringify(state), now());
      store.audit({
        ...actorOf(actor),
        action: on ? "maintenance_on" : "maintenance_off",
        target: "maintenance",
        details: { was: before.on, message: state.message },
        before: { on: before.on, message: before.message },
        after: { on: state.on, message: state.message },
      });
      cached = null;
      return { ...state };
    },
    readState(key, schema) {
      const raw = store.read(key);
      if (!raw) return undefined;
      const r = schema.safeParse(parseJson(raw.value));
      return r.success ? r.data : undefined;
    },
    writeState: (key, value) => store.write(key, JSON.stringify(value), now()),
  };
}

export {
  createRuntime,
  RUNTIME_KEYS,
  RUNTIME_SETTINGS,
  type Runtime,
  type RuntimeKey,
  type RuntimeSettingView,
} from "./runtime";
export { createSettingsStore, type SettingRow, type SettingsStore } from "./store";
