// The job store suite (store-suite.ts) on SQLite: a migrated template file copied per test.
import { afterAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb, runMigrations } from "../../../src/db";
import { createSqliteJobStore } from "../../../src/jobs/sqlite";
import { jobStoreSuite } from "./store-suite";

const dir = mkdtempSync(join(tmpdir(), "mm-job-stores-"));
const template = join(dir, "template.db");
const migrated = openDb(template);
runMigrations(migrated);
closeDb(migrated);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
jobStoreSuite({
  name: "SQLite",
  open() {
    const file = join(dir, `t${++n}.db`);
    copyFileSync(template, file);
    const dbh = openDb(file);
    return {
      store: createSqliteJobStore(dbh),
      patch(publicId, columns) {
        const names = Object.keys(columns);
        dbh.sqlite.run(`UPDATE jobs SET ${names.map((c) => `${c} = ?`).join(", ")} WHERE public_id = ?`, [
          ...Object.values(columns),
          publicId,
        ]);
      },
      addUser: (id) => void dbh.sqlite.run("INSERT INTO users (id) VALUES (?)", [id]),
      close: () => closeDb(dbh),
    };
  },
});
