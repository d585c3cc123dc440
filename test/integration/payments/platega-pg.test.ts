// The Platega payments suite (platega-suite.ts) on a harness Postgres: every row the service writes is in Postgres.
import { postgresApi } from "../api/backends";
import { plategaSuite } from "./platega-suite";

plategaSuite(postgresApi("the Platega payments suite"));
