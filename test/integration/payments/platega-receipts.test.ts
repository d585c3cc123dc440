// The Platega receipts suite (platega-receipts-suite.ts) on the SQLite file.
import { sqliteApi } from "../api/backends";
import { plategaReceiptsSuite } from "./platega-receipts-suite";

plategaReceiptsSuite(sqliteApi);
