-- An album the bot queued before 0023 has no bot_album_reports row, and nothing would send its report.
-- Those still in flight at the upgrade (a track not final, or a track's result not yet settled) get
-- their pending row now; albums that had finished were reported by the release that ran them.
INSERT OR IGNORE INTO `bot_album_reports` (`batch_id`, `chat_id`, `created_at`)
SELECT `batch_id`, min(`bot_chat_id`), min(`created_at`) FROM `jobs`
WHERE `batch_id` IS NOT NULL AND `bot_chat_id` IS NOT NULL
  -- The settings as JSON.stringify wrote them: the album flag is the only `"album":true` (tags.album is a
  -- string), and a text match cannot fail the upgrade on a malformed row.
  AND `params` LIKE '%"album":true%'
GROUP BY `batch_id`
HAVING max(`status` NOT IN ('done', 'failed', 'cancelled', 'expired')
  OR coalesce(`bot_delivery`, '') IN ('pending', 'claimed')) = 1;
