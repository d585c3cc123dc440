// The payment receipts suite (receipts-suite.ts) on the SQLite file.
import { sqliteApi } from "../api/backends";
import { receiptsSuite } from "./receipts-suite";

receiptsSuite(sqliteApi);
