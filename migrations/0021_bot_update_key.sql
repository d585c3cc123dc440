ALTER TABLE `jobs` ADD `bot_update_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_bot_update_key_idx` ON `jobs` (`bot_update_key`);