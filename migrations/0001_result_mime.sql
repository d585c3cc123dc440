ALTER TABLE `jobs` ADD `result_mime` text;--> statement-breakpoint
-- Rows finished before this column existed: the type their extension stood for (what downloads used to guess).
UPDATE `jobs` SET `result_mime` = CASE lower(replace(`result_path`, rtrim(`result_path`, replace(`result_path`, '.', '')), ''))
  WHEN 'wav' THEN 'audio/wav' WHEN 'flac' THEN 'audio/flac' WHEN 'mp3' THEN 'audio/mpeg'
  WHEN 'm4a' THEN 'audio/mp4' WHEN 'opus' THEN 'audio/ogg' ELSE 'application/octet-stream' END
  WHERE `result_path` IS NOT NULL AND `result_mime` IS NULL;
