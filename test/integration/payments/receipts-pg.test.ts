// The payment receipts suite (receipts-suite.ts) on a harness Postgres: every row the service writes is in Postgres.
import { postgresApi } from "../api/backends";
import { receiptsSuite } from "./receipts-suite";

receiptsSuite(postgresApi("the payment receipts suite"));
