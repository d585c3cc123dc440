// Runtime settings: a few configuration values an operator may change from the admin panel without a
// restart. Each one overrides its environment variable; the env value stays the default ("reset" goes back
// to it). Only settings the code really reads at runtime are listed here — the original's panel stored
// half its settings without ever reading them (reference §7); test/integration/admin/settings-effect.test.ts
// enumerates this list and proves every entry changes behaviour.
//
// How they take effect: `liveConfig(base)` returns the Config with a getter per listed variable, and the
// service hands that object to every module, which reads the value when it acts (never copied at start).

import { type Config, ENV_SPEC, type EnvName, isSecret } from "../config";
import type { Actor, Backend } from "../db";
import { AppError } from "../errors";
import { createSettingsStore } from "./store";

/** Every runtime setting: its key (admin API, audit), the env variable it overrides and its page group. */
export const RUNTIME_SETTINGS = [
  { key: "rate_limit_per_min", env: "MM_RATE_LIMIT_PER_MIN", group: "limits" },
  { key: "max_queued_per_owner", env: "MM_MAX_QUEUED_PER_OWNER", group: "limits" },
  { key: "result_ttl_h", env: "MM_RESULT_TTL_H", group: "jobs" },
  { key: "failed_input_keep_h", env: "MM_FAILED_INPUT_KEEP_H", group: "jobs" },
  { key: "alert_queue", env: "MM_ALERT_QUEUE", group: "alerts" },
  { key: "alert_failure_rate", env: "MM_ALERT_FAILURE_RATE", group: "alerts" },
  { key: "backup_retention_days", env: "MM_BACKUP_RETENTION_DAYS", group: "backups" },
  { key: "admin_chat_id", env: "MM_ADMIN_CHAT_ID", group: "telegram" },
  { key: "mail_from", env: "MM_MAIL_FROM", group: "mail" },
  { key: "smtp_url", env: "MM_SMTP_URL", group: "mail" },
] as const satisfies readonly { key: string; env: EnvName; group: string }[];

export type RuntimeKey = (typeof RUNTIME_SETTINGS)[number]["key"];
export const RUNTIME_KEYS = RUNTIME_SETTINGS.map((s) => s.key) as RuntimeKey[];

/** What the admin panel shows of one setting. A secret's values are never shown, only whether set. */
export type RuntimeSettingView = {
  key: RuntimeKey;
  env: EnvName;
  group: string;
  secret: boolean;
  /** The effective value as the env would spell it; null for a secret. */
  value: string | null;
  /** The env (default) value; null for a secret. */
  default: string | null;
  /** True while an operator's value overrides the env. */
  overridden: boolean;
  /** True when the effective value is not empty (the only thing shown of a secret). */
  set: boolean;
  updated_at: number | null;
};

export interface Runtime {
  list(): RuntimeSettingView[];
  /** Validates `value` with the env variable's own schema and stores it; null goes back to the env value. */
  set(key: string, value: string | null, by: Actor): RuntimeSettingView;
  /** `base` with every runtime setting read live (cached ≤ cacheMs; changes through `set` at once). */
  liveConfig(base: Config): Config;
}

const PREFIX = "runtime:";
const MASK = "(secret)";

const specOf = (key: string) => RUNTIME_SETTINGS.find((s) => s.key === key);

/** The value as the env would spell it (arrays are not among runtime settings). */
const spell = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

export function createRuntime(
  backend: Backend,
  base: Config,
  { cacheMs = 2000, now = Date.now }: { cacheMs?: number; now?: () => number } = {},
): Runtime {
  const store = createSettingsStore(backend);
  type Stored = { raw: string; parsed: unknown; at: number };
  let cached: { at: number; values: Map<string, Stored> } | null = null;
  const load = () => {
    const t = now();
    if (cached && t - cached.at < cacheMs) return cached.values;
    const values = new Map<string, Stored>();
    for (const row of store.list(PREFIX)) {
      const spec = specOf(row.key.slice(PREFIX.length));
      if (!spec) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(row.value);
      } catch {
        continue;
      }
      // A stored value the current schema refuses (an older build wrote it) falls back to the env value.
      const r = typeof raw === "string" ? ENV_SPEC[spec.env].schema.safeParse(raw) : null;
      if (r?.success) values.set(spec.key, { raw: raw as string, parsed: r.data, at: row.updatedAt });
    }
    cached = { at: t, values };
    return values;
  };
  const effective = (spec: (typeof RUNTIME_SETTINGS)[number]): unknown => {
    const o = load().get(spec.key);
    return o ? o.parsed : base[spec.env];
  };
  const view = (spec: (typeof RUNTIME_SETTINGS)[number]): RuntimeSettingView => {
    const o = load().get(spec.key);
    const secret = isSecret(spec.env);
    const value = spell(effective(spec));
    return {
      key: spec.key,
      env: spec.env,
      group: spec.group,
      secret,
      value: secret ? null : value,
      default: secret ? null : spell(base[spec.env]),
      overridden: o !== undefined,
      set: value !== "",
      updated_at: o?.at ?? null,
    };
  };
  const shown = (spec: (typeof RUNTIME_SETTINGS)[number]) => {
    const v = view(spec);
    return isSecret(spec.env) ? (v.set ? MASK : "") : v.value;
  };

  return {
    list: () => RUNTIME_SETTINGS.map(view),
    set(key, value, by) {
      const spec = specOf(key);
      if (!spec) throw new AppError("setting_unknown", 404, { key });
      if (value !== null) {
        const r = ENV_SPEC[spec.env].schema.safeParse(value);
        if (!r.success)
          throw new AppError("setting_invalid", 400, {
            key,
            reason: r.error.issues[0]?.message ?? "invalid",
          });
      }
      const before = shown(spec);
      store.write(`${PREFIX}${key}`, JSON.stringify(value), now());
      cached = null;
      store.audit({
        actor: by.actor,
        ip: by.ip,
        action: value === null ? "setting_reset" : "setting_set",
        target: `setting:${key}`,
        before,
        after: shown(spec),
      });
      return view(spec);
    },
    liveConfig(cfg) {
      const live = { ...cfg };
      for (const spec of RUNTIME_SETTINGS)
        Object.defineProperty(live, spec.env, { get: () => effective(spec), enumerable: true });
      return live;
    },
  };
}
