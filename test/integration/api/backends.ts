// The databases the API suites run on: the SQLite file in the harness' temp folder (the default), or a
// fresh database on a harness Postgres (test/fixtures/postgres.ts: one server per test file). The harness
// and the service pick it the same way, from MM_DATABASE_URL, so a suite body takes one of these and
// spreads `env()` into every harness it starts; a `*-pg.test.ts` file runs the same body on Postgres.

import { postgresMissing, usePostgres } from "../../fixtures/postgres";

export type ApiBackend = {
  name: "SQLite" | "Postgres";
  /** The Backend kind a service started with `env()` must be on (suites check it: no silent SQLite run). */
  kind: "sqlite" | "postgres";
  /** True when this backend cannot run here (the reason was logged). */
  skip: boolean;
  /** Env for one harness: a fresh database each call on Postgres. */
  env(): Record<string, string>;
};

export const sqliteApi: ApiBackend = { name: "SQLite", kind: "sqlite", skip: false, env: () => ({}) };

/** A Postgres for the calling test file (call at its top level): started before its tests, stopped after. */
export function postgresApi(what: string): ApiBackend {
  const skip = postgresMissing(`${what} on Postgres`);
  const server = usePostgres(skip);
  return {
    name: "Postgres",
    kind: "postgres",
    skip,
    env: () => ({ MM_DATABASE_URL: server().freshDatabase() }),
  };
}
