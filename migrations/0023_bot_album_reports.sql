CREATE TABLE `bot_album_reports` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
