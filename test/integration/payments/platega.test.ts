// The Platega payments suite (platega-suite.ts) on the SQLite file.
import { sqliteApi } from "../api/backends";
import { plategaSuite } from "./platega-suite";

plategaSuite(sqliteApi);
