// The YooKassa refunds suite (refunds-suite.ts) on the SQLite file.
import { sqliteApi } from "../api/backends";
import { refundsSuite } from "./refunds-suite";

refundsSuite(sqliteApi);
