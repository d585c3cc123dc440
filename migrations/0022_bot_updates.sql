CREATE TABLE `bot_updates` (
	`update_id` integer PRIMARY KEY NOT NULL,
	`handled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bot_updates_handled_idx` ON `bot_updates` (`handled_at`);