// The jobs table on whichever database the Backend names (src/db/backend.ts): both stores implement
// JobStore, so the service, the pool and maintenance never know which one they got.

import type { Backend } from "../db";
import { createPgJobStore } from "./pg";
import { createSqliteJobStore } from "./sqlite";
import type { JobStore } from "./store";

export function createJobStore(b: Backend): JobStore {
  return b.kind === "postgres" ? createPgJobStore(b.pg) : createSqliteJobStore(b.dbh);
}
