// The job store suite (store-suite.ts) on Postgres: one server for the file (test/fixtures/postgres.ts),
// a fresh database per test.
import { PgClient } from "../../../src/db/pg";
import { createPgJobStore } from "../../../src/jobs/pg";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import { jobStoreSuite } from "./store-suite";

const skip = postgresMissing("the job store suite on Postgres");
const server = usePostgres(skip);

jobStoreSuite({
  name: "Postgres",
  skip,
  open() {
    const pg = PgClient.connect(server().freshDatabase());
    return {
      store: createPgJobStore(pg),
      patch(publicId, columns) {
        const names = Object.keys(columns);
        pg.run(
          `UPDATE jobs SET ${names.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE public_id = $${names.length + 1}`,
          [...Object.values(columns), publicId],
        );
      },
      addUser: (id) => void pg.run("INSERT INTO users (id) VALUES ($1)", [id]),
      close: () => pg.close(),
    };
  },
});
