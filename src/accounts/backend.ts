// The accounts stores for the database MM_DATABASE_URL chose (src/db/backend.ts): SQLite or Postgres,
// the same interfaces, so the services never know which one they got.

import type { Backend } from "../db";
import { createPgAccountStores } from "./pg";
import { createSqliteAccountStores } from "./sqlite";
import type { AccountStores } from "./stores";

export function createAccountStores(b: Backend, o: { now?: () => number } = {}): AccountStores {
  return b.kind === "postgres" ? createPgAccountStores(b.pg, o) : createSqliteAccountStores(b.dbh, o);
}
