// What the area schema files share: the insert-time default, unix milliseconds (UTC) like every time here.

import { sql } from "drizzle-orm";

export const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
