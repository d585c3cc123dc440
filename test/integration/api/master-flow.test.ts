// The mastering API suite (master-flow-suite.ts) on the SQLite file.
import { sqliteApi } from "./backends";
import { masterFlowSuite } from "./master-flow-suite";

masterFlowSuite(sqliteApi);
