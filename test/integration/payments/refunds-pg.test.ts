// The YooKassa refunds suite (refunds-suite.ts) on a harness Postgres: every row the service writes is in Postgres.
import { postgresApi } from "../api/backends";
import { refundsSuite } from "./refunds-suite";

refundsSuite(postgresApi("the YooKassa refunds suite"));
