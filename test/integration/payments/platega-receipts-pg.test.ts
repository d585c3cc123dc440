// The Platega receipts suite (platega-receipts-suite.ts) on a harness Postgres: every row the service writes is in Postgres.
import { postgresApi } from "../api/backends";
import { plategaReceiptsSuite } from "./platega-receipts-suite";

plategaReceiptsSuite(postgresApi("the Platega receipts suite"));
