DROP INDEX `jobs_bot_pending_idx`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `bot_delivery_by` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `bot_delivery_at` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `bot_delivery_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `bot_delivery_error` text;--> statement-breakpoint
CREATE INDEX `jobs_bot_due_idx` ON `jobs` (`finished_at`) WHERE bot_delivery IN ('pending', 'claimed');