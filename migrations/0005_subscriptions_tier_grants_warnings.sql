CREATE TABLE `tier_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`tier` text NOT NULL,
	`days` integer NOT NULL,
	`ref` text NOT NULL,
	`actor` text DEFAULT 'system' NOT NULL,
	`previous_tier` text NOT NULL,
	`previous_expires_at` integer,
	`expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tier_grants_ref_unique` ON `tier_grants` (`ref`);--> statement-breakpoint
CREATE INDEX `tier_grants_user_idx` ON `tier_grants` (`user_id`);--> statement-breakpoint
CREATE TABLE `tier_warnings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`channel` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tier_warnings_uq` ON `tier_warnings` (`user_id`,`expires_at`,`channel`);