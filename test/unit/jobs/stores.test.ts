// The job store suite (store-suite.ts) on both backends (test/fixtures/backends.ts): a migrated SQLite
// template copied per test, and a fresh database per test on the file's harness Postgres.
import { createJobStore } from "../../../src/jobs/backend";
import { rawSql, testBackends } from "../../fixtures/backends";
import { jobStoreSuite } from "./store-suite";

for (const b of testBackends("the job store suite"))
  jobStoreSuite({
    name: b.name,
    skip: b.skip,
    open() {
      const db = b.open();
      const sql = rawSql(db.backend);
      return {
        store: createJobStore(db.backend),
        patch(publicId, columns) {
          const names = Object.keys(columns);
          sql.run(
            `UPDATE jobs SET ${names.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE public_id = $${names.length + 1}`,
            [...Object.values(columns), publicId],
          );
        },
        addUser: (id) => sql.run("INSERT INTO users (id) VALUES ($1)", [id]),
        close: () => db.close(),
      };
    },
  });
