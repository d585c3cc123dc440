// The YooKassa payments suite (yookassa-suite.ts) on a harness Postgres: every row the service writes is in Postgres.
import { postgresApi } from "../api/backends";
import { yookassaSuite } from "./yookassa-suite";

yookassaSuite(postgresApi("the YooKassa payments suite"));
