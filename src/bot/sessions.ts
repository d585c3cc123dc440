// grammY's session storage over the accounts area's bot_sessions store: values are JSON, and a row that
// no longer parses (a session shape from an older release) reads as a fresh session.
// Values hold only small choices and Telegram file ids, never file bytes.

import type { StorageAdapter } from "grammy";
import type { BotSessionStore } from "../accounts";

export function jsonSessionStorage<T>(store: BotSessionStore): StorageAdapter<T> {
  return {
    read(key) {
      const text = store.read(key);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    write: (key, value) => store.write(key, JSON.stringify(value)),
    delete: (key) => store.delete(key),
    has: (key) => store.has(key),
  };
}
