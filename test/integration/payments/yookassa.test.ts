// The YooKassa payments suite (yookassa-suite.ts) on the SQLite file.
import { sqliteApi } from "../api/backends";
import { yookassaSuite } from "./yookassa-suite";

yookassaSuite(sqliteApi);
