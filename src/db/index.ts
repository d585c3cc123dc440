// Public face of the database layer: connection, migrations, backups, the audit log and the schema.

export {
  type Actor,
  type AuditEntry,
  type AuditLog,
  type AuditQuery,
  type AuditRow,
  actorOf,
  createAuditLog,
  recentAudit,
  recordAudit,
  searchAudit,
} from "./audit";
export {
  type Backend,
  backendSchemaState,
  closeBackend,
  describeBackend,
  migrateBackend,
  openBackend,
  sqliteHandleOf,
} from "./backend";
export {
  type BackupResult,
  backupDatabase,
  inspectBackup,
  PG_DUMP_COMMAND,
  PG_RESTORE_COMMAND,
  postgresBackupAdvice,
  restoreDatabase,
} from "./backup";
export { backupFileName, backupTime, reserveBackupFile } from "./backup-name";
export { applyPragmas, closeDb, type Db, type DbHandle, openDb, withImmediateTx } from "./connect";
export { CopyMismatchError, CopyRefusedError, type CopyReport, copyOrder } from "./copy-common";
export { noteStorageFault, noteStorageOk, recentStorageFault, type StorageFault } from "./faults";
export { assetRoot, knownMigrations, runMigrations, SchemaTooNewError, schemaState } from "./migrate";
export {
  columnList,
  insertSql,
  isUniqueViolation,
  PgClient,
  PgError,
  type PgParam,
  placeholders,
  rowReader,
  safeDatabaseUrl,
} from "./pg";
export { appendPgAudit } from "./pg/audit-append";
export * as pgSchema from "./pg/schema";
export * as schema from "./schema";
export { copySqliteToPostgres, migrateSqliteFileToPostgres } from "./to-postgres";
export { copyPostgresToSqlite, migratePostgresToSqliteFile } from "./to-sqlite";
