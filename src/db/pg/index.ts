// Public face of the Postgres layer: the synchronous client, its errors, and the migrations.

export { PgClient, type PgOptions, type PgParam, safeDatabaseUrl } from "./client";
export { isUniqueViolation, PgConstraintError, PgError } from "./errors";
export { pgMigrationsFolder, pgSchemaState, runPgMigrations } from "./migrate";
export { columnList, insertSql, placeholders, rowReader } from "./rows";
