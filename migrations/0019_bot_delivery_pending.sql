ALTER TABLE `jobs` ADD `bot_delivery` text;--> statement-breakpoint
CREATE INDEX `jobs_bot_pending_idx` ON `jobs` (`finished_at`) WHERE bot_delivery = 'pending';