// The mastering API suite (master-flow-suite.ts) on a harness Postgres: upload → SSE → result, a batch,
// two workers, cancel and timeout with their refunds, with the jobs and accounts rows in Postgres.
import { postgresApi } from "./backends";
import { masterFlowSuite } from "./master-flow-suite";

masterFlowSuite(postgresApi("the mastering API"));
