// What the Postgres area schema files share.

import { sql } from "drizzle-orm";

/** Statement time in unix ms, like SQLite's unixepoch('subsec') (now() would be the transaction's start). */
export const now = sql`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`;
