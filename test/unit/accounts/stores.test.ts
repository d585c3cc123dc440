// The accounts store suite (store-suite.ts) on every backend (backends.ts): SQLite and Postgres.

import { accountBackends } from "./backends";
import { accountStoreSuite } from "./store-suite";

for (const backend of accountBackends("the accounts store suite")) accountStoreSuite(backend);
