CREATE TABLE `tier_usage` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tier_usage_ref_unique` ON `tier_usage` (`ref`);--> statement-breakpoint
CREATE INDEX `tier_usage_subject_idx` ON `tier_usage` (`subject`,`created_at`);--> statement-breakpoint
CREATE TABLE `tiers` (
	`name` text PRIMARY KEY NOT NULL,
	`masters_per_period` integer,
	`period` text DEFAULT 'week' NOT NULL,
	`daily_cap` integer,
	`tokens_master` integer DEFAULT 0 NOT NULL,
	`tokens_preview` integer DEFAULT 0 NOT NULL,
	`tokens_measure` integer DEFAULT 0 NOT NULL,
	`tokens_batch_item` integer DEFAULT 0 NOT NULL,
	`upload_max_mb` integer DEFAULT 100 NOT NULL,
	`styles` text,
	`formats` text,
	`modules` text,
	`batch_max` integer DEFAULT 0 NOT NULL,
	`queue_priority` integer DEFAULT 0 NOT NULL,
	`api_keys` integer DEFAULT false NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
